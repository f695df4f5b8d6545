"""Folder names are portable, bounded and can never climb out of their parent."""

from __future__ import annotations

import pytest

from workbench.templates.names import MAX_NAME_BYTES, is_safe_name, safe_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Corner Store", "Corner Store"),
        ("a/b\\c", "a_b_c"),
        ("..", "__"),
        (".", "_"),
        ("...", "_"),
        ("", "_"),
        ("   ", "_"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("NUL ", "NUL_"),
        ("what?*:<>|", "what______"),
        ("line\nbreak\x00", "line_break_"),
        ("a\u2028b\x85c", "a_b_c"),
        ("evil\u202etxt.exe", "evil_txt.exe"),
        ("trailing dots...", "trailing dots"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert safe_name(text) == expected
    assert is_safe_name(expected)


def test_long_names_are_cut_on_a_character_boundary() -> None:
    name = safe_name("x" + "é" * 300)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name == "x" + "é" * 127


def test_emoji_and_combining_characters_survive_in_nfc() -> None:
    assert safe_name("Café 👩‍👩‍👧 e\u0301\u0323") == "Café 👩‍👩‍👧 \u1eb9\u0301"


def test_reserved_name_that_grows_past_the_limit_is_cut_again() -> None:
    name = safe_name("CON." + "x" * 400)
    assert name.startswith("CON_.") and len(name.encode()) <= MAX_NAME_BYTES
    assert is_safe_name(name)


def test_unsafe_names_are_recognised() -> None:
    for name in ("", ".", "..", "a/b", "x" * 256, "a\x00", "CON", "end."):
        assert not is_safe_name(name)

"""Preferences on disk: defaults, round trip, atomic writes, damaged files kept and reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.errors import CorruptFile, PreferencesError
from workbench.preferences import Preferences
from workbench.preferences.storage import read_preferences, workbench_home, write_preferences

PREFS = Preferences(
    templates_dir=Path("/srv/templates"), default_template="agency-military",
    hash_algorithms=["sha256", "blake3"], workers=3, technician="J. Doe", badge_number="1234",
)


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert read_preferences(tmp_path / "preferences.json") == Preferences()


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    write_preferences(path, PREFS)
    assert read_preferences(path) == PREFS
    assert PREFS.hash_algorithms == ["blake3", "sha256"]
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["preferences.json"]


def test_crash_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "preferences.json"
    write_preferences(path, Preferences())
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(PreferencesError) as info:
        write_preferences(path, PREFS)
    monkeypatch.undo()
    assert info.value.type == "DiskFull"
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["preferences.json"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid UTF-8 JSON"),
        (b'{"workers": 0}', "not valid preferences"),
        (b'{"colour": "red"}', "not valid preferences"),
        (b'["a list"]', "not valid preferences"),
    ],
)
def test_damaged_file_is_kept_and_reported(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "preferences.json"
    path.write_bytes(content)
    with pytest.raises(PreferencesError) as info:
        read_preferences(path)
    payload = info.value.payload
    assert isinstance(payload, CorruptFile) and payload.path == str(path)
    assert words in payload.detail
    assert payload.backup is not None and Path(payload.backup).read_bytes() == content
    assert Path(payload.backup).name.startswith("preferences.json.corrupt-")
    assert path.read_bytes() == content  # never silently reset
    assert payload.backup in str(info.value)


def test_reading_a_damaged_file_again_keeps_one_copy(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_bytes(b"{")
    backups = set()
    for _ in range(3):
        with pytest.raises(PreferencesError) as info:
            read_preferences(path)
        backups.add(info.value.payload.backup)  # type: ignore[union-attr]
    assert len(backups) == 1 and len(list(tmp_path.glob("*.corrupt-*"))) == 1
    path.write_bytes(b"[")
    with pytest.raises(PreferencesError):
        read_preferences(path)
    assert len(list(tmp_path.glob("*.corrupt-*"))) == 2


def test_unreadable_file_is_typed(tmp_path: Path) -> None:
    (tmp_path / "preferences.json").mkdir()
    with pytest.raises(PreferencesError) as info:
        read_preferences(tmp_path / "preferences.json")
    assert info.value.type == "IoError"


def test_home_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    assert workbench_home() == tmp_path
    monkeypatch.delenv("WORKBENCH_HOME")
    assert workbench_home().name == "case-workbench"

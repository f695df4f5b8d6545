"""Pattern parsing and rendering: placeholders, specs and conversions."""

from __future__ import annotations

from datetime import datetime

import pytest

from workbench.templates.pattern import (
    Placeholder,
    alternatives,
    drops_level,
    missing_field,
    parse_pattern,
    render,
)

WHEN = datetime(2026, 11, 20, 14, 0)


def test_parse_splits_literals_and_placeholders() -> None:
    assert parse_pattern("{business} @ {video_start!u:%d%b}") == [
        Placeholder("business", "", None), " @ ", Placeholder("video_start", "%d%b", "u"),
    ]


def test_doubled_braces_are_literal() -> None:
    assert render(parse_pattern("{{x}}"), {}) == "{x}"


@pytest.mark.parametrize("pattern", ["{", "}", "{business", "{a!}", "{a!uu}"])
def test_unbalanced_braces_raise_value_error(pattern: str) -> None:
    with pytest.raises(ValueError):
        parse_pattern(pattern)


@pytest.mark.parametrize(
    ("placeholder", "value", "expected"),
    [
        (Placeholder("video_start", "%Y-%m-%d_%H%M", None), WHEN, "2026-11-20_1400"),
        (Placeholder("video_start", "", None), WHEN, "2026-11-20_1400"),
        (Placeholder("video_start", "%d%b%y_%H%M", "u"), WHEN, "20NOV26_1400"),
        (Placeholder("business", "", "l"), "Corner Store", "corner store"),
        (Placeholder("business", ".6", "u"), "Corner Store", "CORNER"),
    ],
)
def test_render(placeholder: Placeholder, value: str | datetime, expected: str) -> None:
    assert placeholder.render(value) == expected
    assert placeholder.problem() is None


def test_missing_field_is_the_first_empty_one() -> None:
    segments = parse_pattern("{occurrence} {business} {location}")
    assert missing_field(segments, {"occurrence": "1", "business": "", "location": None}) == (
        "business"
    )
    assert missing_field(segments, {"occurrence": "1", "business": "b", "location": "l"}) is None


def test_fallback_alternatives() -> None:
    assert alternatives("{business}|{location}|") == ["{business}", "{location}", ""]
    assert drops_level("") and drops_level("  ") and not drops_level("x")

"""Dates in folder names are the same on every machine: English names, portable `%-d`."""

from __future__ import annotations

import locale
from datetime import datetime
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.cases import CaseData
from workbench.templates import Template, TemplateLevel, resolve_path
from workbench.templates.pattern import Placeholder
from workbench.templates.strftime import MONTHS, WEEKDAYS, format_datetime

MOMENT = datetime(2026, 11, 5, 14, 7, 9)


class FrenchClock(datetime):
    """A datetime whose `strftime` answers like a French C library (`%b` → `nov.`)."""

    NAMES: ClassVar[dict[str, str]] = {
        "%b": "nov.", "%B": "novembre", "%a": "jeu.", "%A": "jeudi", "%p": "",
        "%c": "jeu. 05 nov. 2026 14:07:09", "%x": "05/11/2026", "%X": "14:07:09",
    }

    def strftime(self, spec: str) -> str:
        for directive, text in self.NAMES.items():
            spec = spec.replace(directive, text)
        return super().strftime(spec)


@pytest.mark.parametrize(("spec", "expected"), [
    ("%d%b%y_%H%M", "05Nov26_1407"),
    ("%-d%b%y_%H%M", "5Nov26_1407"),
    ("%B %-d, %Y", "November 5, 2026"),
    ("%a %A", "Thu Thursday"),
    ("%I:%M %p", "02:07 PM"),
    ("%-I%p", "2PM"),
    ("%c", "Thu Nov  5 14:07:09 2026"),
    ("%x %X", "11/05/26 14:07:09"),
    ("%-m/%-d/%y", "11/5/26"),
    ("%-H:%-M:%-S", "14:7:9"),
    ("100%% at %H", "100% at 14"),
    ("%e|%-e", " 5|5"),
    ("%Y-%m-%d", "2026-11-05"),
])
def test_locale_dependent_directives_are_written_in_english(spec: str, expected: str) -> None:
    assert format_datetime(FrenchClock(2026, 11, 5, 14, 7, 9), spec) == expected
    assert format_datetime(MOMENT, spec) == expected


def test_a_template_names_the_same_folder_whatever_the_locale() -> None:
    template = Template(id="t", name="T", levels=[
        TemplateLevel(pattern="{video_start!u:%-d%b%y_%H%M}")])
    case = CaseData(occurrence="1", video_start="2026-11-05T14:00")
    before = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, "C.UTF-8")
        assert str(resolve_path(template, case).relative) == "5NOV26_1400"
    finally:
        locale.setlocale(locale.LC_TIME, before)
    assert Placeholder("video_start", "%b", "u").render(FrenchClock(2026, 11, 5)) == "NOV"


def test_midnight_and_single_digits_are_unpadded_but_never_empty() -> None:
    midnight = datetime(2026, 1, 1, 0, 0, 0)
    assert format_datetime(midnight, "%-d%-m%-H%-M%-S") == "11000"


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)))
def test_matches_the_c_library_in_the_c_locale(moment: datetime) -> None:
    """In the C locale every directive gives what strftime gives (names are English there)."""
    spec = "%a %A %b %B %d %m %y %Y %H %I %M %S %p %j %U %W %%"
    assert format_datetime(moment, spec) == moment.strftime(spec)
    assert format_datetime(moment, "%b") == MONTHS[moment.month - 1][:3]
    assert format_datetime(moment, "%A") == WEEKDAYS[moment.weekday()]
    assert format_datetime(moment, "%-d") == str(moment.day)

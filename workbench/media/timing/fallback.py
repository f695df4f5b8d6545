"""The two-phase fallback for names no pattern reads: a date found first, then a time apart
from it, each on its own, with a confidence in what was read.

Phase one looks for a date in the file name, then in its folders (`2026-11-20`,
`20261120`, `20.11.2026`, `Nov 20 2026`); phase two for a time elsewhere in the file name
(`14.00.00`, `140000`, `2-00-00 PM`, `14h00m00s`). A day-month order that reads two ways
(`01-02-2026`) is ambiguous and gives no time, with both readings said; an impossible date
(`2026-02-30`) is no date. Confidence: 0.8 when the date and the time sit side by side in the
file name, 0.6 when apart in it, 0.4 when the date comes from a folder.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import NamedTuple

FALLBACK = "fallback"
"""The `pattern` of a time the fallback read."""
ADJACENT, APART, FOLDER = 0.8, 0.6, 0.4
"""Confidences: date and time side by side, apart in the name, date from a folder."""
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<s>[-_.]?)(?P<m>\d\d)(?P=s)(?P<d>\d\d)(?!\d)")
_DMY = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<s>[-_.])(?P<b>\d{1,2})(?P=s)(?P<y>(?:19|20)\d\d)"
                  r"(?!\d)")
_NAMED = re.compile(rf"(?i)(?<![a-z])(?P<mon>{_MONTHS})[a-z]*[ _.-]?(?P<d>\d{{1,2}}),?[ _.-]?"
                    r"(?P<y>(?:19|20)\d\d)(?!\d)")
_TIME = re.compile(
    r"(?i)(?<!\d)(?P<h>[01]?\d|2[0-3])(?P<s>[-_.:h]?)(?P<mi>[0-5]\d)(?:m|(?P=s))(?P<se>[0-5]\d)s?"
    r"(?:\s*(?P<p>[ap])\.?m\.?)?(?!\d)")


class Fallback(NamedTuple):
    """What the fallback read: a start and its confidence, or why not (`ambiguous`)."""

    start: datetime | None
    confidence: float
    ambiguous: tuple[date, ...] = ()


def read_fallback(relative: PurePosixPath) -> Fallback | None:
    """A start read from `relative` by date and time found separately; None when no date
    and time are found (a `Fallback` without a start when the date reads two ways)."""
    name = relative.name
    found = _date(name)
    where = name
    if found is None:
        for folder in reversed(relative.parent.parts):
            found = _date(folder)
            if found is not None:
                where = folder
                break
    if found is None:
        return None
    readings, span = found
    if len(readings) > 1:
        return Fallback(None, 0.0, readings)
    clock = _time(name, span if where == name else None)
    if clock is None:
        return None
    moment, time_span = clock
    if where != name:
        confidence = FOLDER
    else:
        gap = max(span[0], time_span[0]) - min(span[1], time_span[1])
        confidence = ADJACENT if gap <= 3 else APART
    return Fallback(datetime.combine(readings[0], moment), confidence)


def _date(text: str) -> tuple[tuple[date, ...], tuple[int, int]] | None:
    for found in _ISO.finditer(text):
        day = _day(int(found["y"]), int(found["m"]), int(found["d"]))
        if day is not None:
            return (day,), found.span()
    for found in _NAMED.finditer(text):
        month = _MONTHS.split("|").index(found["mon"].lower()[:3]) + 1
        day = _day(int(found["y"]), month, int(found["d"]))
        if day is not None:
            return (day,), found.span()
    for found in _DMY.finditer(text):
        first, second, year = int(found["a"]), int(found["b"]), int(found["y"])
        readings = {d for d in (_day(year, second, first), _day(year, first, second)) if d}
        if readings:
            return tuple(sorted(readings)), found.span()
    return None


def _time(text: str, taken: tuple[int, int] | None) -> tuple[time, tuple[int, int]] | None:
    for found in _TIME.finditer(text):
        start, end = found.span()
        if taken is not None and start < taken[1] and end > taken[0]:
            continue  # digits of the date itself
        hour = int(found["h"])
        if found["p"]:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if found["p"].lower() == "p" else 0)
        return time(hour, int(found["mi"]), int(found["se"])), found.span()
    return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


__all__ = ["ADJACENT", "APART", "FALLBACK", "FOLDER", "Fallback", "read_fallback"]

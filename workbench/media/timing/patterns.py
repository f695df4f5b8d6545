"""DVR file-name patterns: data (JSON), not code; the bundled library and the user's own.

A pattern is a regular expression with named groups: `start` (required), `end`, `date`,
`channel`, `camera`. Each time group is read from its letters and digits alone (separators
dropped) with a strftime format of `%Y %m %d %y %j %H %I %M %S` and `%b` (month abbreviation),
`%p` (AM/PM), so `14.00.00`, `14-00-00` and `140000` all read with `%H%M%S` and
`2.00.00 PM` with `%I%M%S%p`. A pattern may say which zone its scheme writes times in (some
write UTC). Patterns run with the `regex` module under a time limit: a user's pattern that
backtracks catastrophically is stopped (and skipped for that name), never hangs a batch.

A start without a date takes the `date` group's; an end without a date takes the start's, and
one earlier than the start is on the next day. An end that is still before its start is
dropped: a pattern never yields an end before its start. The user's `dvr_patterns.json` in the
workbench home is tried before the bundled library, the first match wins.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import ClassVar

import regex
from pydantic import Field, field_validator
from regex import Match as RegexMatch
from regex import Pattern as RegexPattern

from workbench.cases.recorders import ZoneName
from workbench.errors import CorruptFile, MediaError, payload_from_os_error
from workbench.model import Contract
from workbench.preferences import workbench_home

PATTERNS_FILE = "dvr_patterns.json"
"""File name of the bundled library and of the user's own patterns in the workbench home."""
GROUPS = frozenset({"start", "end", "date", "hour", "channel", "camera"})
"""Named groups a pattern may use."""
MATCH_SECONDS = 0.25
"""Longest a pattern may search one path (a catastrophic regex is stopped here)."""
_DATE_DIRECTIVES = frozenset("Ymdyjb")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGITS = re.compile(r"\D")
log = logging.getLogger(__name__)


class PatternExample(Contract):
    """A path a pattern must read, and what it must read from it (checked by the tests)."""

    error_class: ClassVar = MediaError

    path: str
    """A relative path, `/`-separated."""
    start: datetime
    """The start it gives."""
    end: datetime | None = None
    """The end it gives, if the name has one."""
    channel: str | None = None
    """The channel group's text."""
    camera: str | None = None
    """The camera group's text."""


class DvrPattern(Contract):
    """One file-name pattern of a DVR or NVR."""

    error_class: ClassVar = MediaError

    id: str = Field(min_length=1, max_length=80)
    """Short unique name, shown as a row's `pattern`."""
    family: str = ""
    """The vendor or product family (Hikvision, Dahua, Frigate...)."""
    description: str = ""
    """What recorders name their files this way."""
    zone: ZoneName = None
    """The zone the scheme writes its times in (e.g. `UTC`); None: the recorder's own."""
    regex: str = Field(min_length=1, max_length=2000)
    """Python regular expression searched in the path relative to the folder probed."""
    start_format: str
    """Digits-only strftime format of the `start` group, e.g. `%Y%m%d%H%M%S`."""
    end_format: str | None = None
    """Format of the `end` group (`%H%M%S` takes the start's date)."""
    date_format: str | None = None
    """Format of the `date` group, for a start without a date."""
    examples: list[PatternExample] = Field(default_factory=list)
    """Paths it must read, with what it reads from them."""

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            groups = set(regex.compile(value).groupindex)
        except (regex.error, re.error) as exc:
            raise ValueError(f"is not a regular expression ({exc})") from None
        if "start" not in groups:
            raise ValueError("needs a named group `start`")
        if unknown := groups - GROUPS:
            raise ValueError(f"names unknown groups {sorted(unknown)}; use {sorted(GROUPS)}")
        return value

    @field_validator("start_format", "end_format", "date_format")
    @classmethod
    def _digits_only(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"(%[YmdyjHIMSbp])+", value):
            raise ValueError("must be digits-only strftime directives (%Y %m %d %y %j %H %I "
                             "%M %S), plus %b (month abbreviation) and %p (AM/PM)")
        return value

    @property
    def compiled(self) -> RegexPattern[str]:
        """The regular expression, compiled once."""
        return _compile(self.regex)


class PatternLibrary(Contract):
    """The content of a patterns file."""

    error_class: ClassVar = MediaError

    about: str = ""
    """What the file is."""
    patterns: list[DvrPattern]
    """Tried in order; the first match wins."""


@dataclass(frozen=True)
class NameTimes:
    """What a pattern (or the fallback) read from a path."""

    pattern: str
    start: datetime
    end: datetime | None
    channel: str | None
    camera: str | None
    zone: str | None = None
    """The zone the name's times are in, when its scheme defines one."""
    confidence: float = 1.0
    """1 for a pattern; the fallback's own confidence (0-1) otherwise."""


@lru_cache(maxsize=256)
def _compile(source: str) -> RegexPattern[str]:
    return regex.compile(source)


def bundled_patterns() -> list[DvrPattern]:
    """The library shipped with the package."""
    data = (files("workbench.media.timing") / PATTERNS_FILE).read_bytes()
    return _library(data, "bundled " + PATTERNS_FILE).patterns


def user_patterns_path() -> Path:
    """The user's own patterns file (it need not exist)."""
    return workbench_home() / PATTERNS_FILE


def load_patterns(path: Path | None = None) -> list[DvrPattern]:
    """The user's patterns (from `path`, default the workbench home's file) then the bundled.

    Raises `MediaError` (`CorruptFile`, or the OS error's payload) when the user's file
    exists but cannot be read or is not a valid library.
    """
    path = user_patterns_path() if path is None else path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return bundled_patterns()
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(path), "read")) from None
    return _library(data, str(path)).patterns + bundled_patterns()


def _library(data: bytes, where: str) -> PatternLibrary:
    try:
        return PatternLibrary.model_validate(json.loads(data))
    except ValueError as exc:
        raise MediaError(CorruptFile(path=where, detail=f"not JSON ({exc})")) from None
    except MediaError as exc:
        raise MediaError(CorruptFile(path=where, detail=str(exc))) from None


def match_name(relative: PurePosixPath, patterns: list[DvrPattern]) -> NameTimes | None:
    """The times and channel the first matching pattern reads from `relative`, or None."""
    return match_patterns(relative, patterns)[0]


def match_patterns(relative: PurePosixPath, patterns: list[DvrPattern]
                   ) -> tuple[NameTimes | None, list[str]]:
    """What the first matching pattern reads from `relative` (or None), and the patterns
    stopped at `MATCH_SECONDS` on it (skipped, never waited for)."""
    text = relative.as_posix()
    stopped: list[str] = []
    for pattern in patterns:
        try:
            for found in pattern.compiled.finditer(text, timeout=MATCH_SECONDS):
                times = _read(pattern, found)
                if times is not None:
                    return times, stopped
        except TimeoutError:
            log.warning("pattern %s stopped after %s s on %s", pattern.id, MATCH_SECONDS, text)
            stopped.append(pattern.id)
    return None, stopped


def _read(pattern: DvrPattern, found: RegexMatch[str]) -> NameTimes | None:
    groups = found.groupdict()
    day: date | None = None
    if groups.get("date") and pattern.date_format:
        parsed_day = _parse(groups["date"], pattern.date_format)
        if parsed_day is None:
            return None
        day = parsed_day.date()
    hour = groups.get("hour")  # a segment folder's hour, for a start of minutes and seconds
    start = _moment((hour or "") + groups["start"], ("%H" if hour else "") + pattern.start_format,
                    day)
    if start is None:
        return None
    end = None
    if groups.get("end") and pattern.end_format:
        end = _moment(groups["end"], pattern.end_format, start.date())
        if end is not None and end < start and not _has_date(pattern.end_format):
            end += timedelta(days=1)
        if end is not None and end < start:
            end = None
    return NameTimes(pattern.id, start, end, groups.get("channel"), groups.get("camera"),
                     zone=pattern.zone)


def _moment(text: str, fmt: str, day: date | None) -> datetime | None:
    parsed = _parse(text, fmt)
    if parsed is None:
        return None
    if _has_date(fmt):
        return parsed
    if day is None:
        return None
    return datetime.combine(day, time(parsed.hour, parsed.minute, parsed.second))


def _parse(text: str, fmt: str) -> datetime | None:
    try:
        kept = _SEPARATORS if "%b" in fmt or "%p" in fmt else _NOT_DIGITS
        return datetime.strptime(kept.sub("", text), fmt)
    except ValueError:
        return None


def _has_date(fmt: str) -> bool:
    return any(f"%{directive}" in fmt for directive in _DATE_DIRECTIVES)


__all__ = [
    "PATTERNS_FILE",
    "DvrPattern",
    "NameTimes",
    "PatternExample",
    "PatternLibrary",
    "bundled_patterns",
    "load_patterns",
    "match_name",
    "match_patterns",
    "user_patterns_path",
]

"""`CaseData`: the facts of one case that name its folders and go into its record."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    WrapValidator,
    field_validator,
)

from workbench.cases.dates import typed_datetime
from workbench.cases.recorders import Recorder, ZoneName, check_recorders
from workbench.errors import CaseError
from workbench.model import Contract

_CLOCK = re.compile(r"^\s*([+-]?)\s*(\d+):([0-5]?\d)(?::([0-5]?\d))?\s*$")
_WORDS = re.compile(
    r"^\s*(?:dvr\s+(?:clock\s+)?(?:is\s+)?)?"
    r"(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?)?)?)?"
    r"\s*(ahead|fast|behind|slow)\s*$",
    re.IGNORECASE,
)


def clean_text(value: str) -> str:
    """NFC-normalised and stripped."""
    return unicodedata.normalize("NFC", value).strip()


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not clean_text(value):
        return None
    return value


def parse_offset(value: Any) -> Any:
    """`+01:30:00`, `-0:05`, `DVR is 1h30m ahead`, `2m behind`, seconds, or a timedelta."""
    try:
        return _parse_offset(value)
    except OverflowError:
        raise ValueError(f"offset {value!r} is too large") from None


def _parse_offset(value: Any) -> Any:
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if not text:
        return None
    if match := _CLOCK.match(text):
        sign, hours, minutes, seconds = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
        return -delta if sign == "-" else delta
    if (match := _WORDS.match(text)) and any(match.group(i) for i in (1, 2, 3)):
        hours, minutes, seconds, direction = match.groups()
        delta = timedelta(
            hours=int(hours or 0), minutes=int(minutes or 0), seconds=int(seconds or 0)
        )
        return delta if direction.lower() in ("ahead", "fast") else -delta
    raise ValueError(
        "expected a signed clock offset like +01:30:00 or words like 'DVR is 1h30m ahead'"
    )


def format_offset(delta: timedelta) -> str:
    """The signed `+HH:MM:SS` form of a DVR offset."""
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def intake_now() -> datetime:
    """Now, in local time with its UTC offset, to the second: a new case's intake time."""
    return datetime.now().astimezone().replace(microsecond=0)


CleanText = Annotated[str, AfterValidator(clean_text)]
OptionalText = Annotated[CleanText | None, BeforeValidator(_blank_to_none)]
OptionalDatetime = Annotated[datetime | None, WrapValidator(typed_datetime),
                             BeforeValidator(_blank_to_none)]


def _split_seals(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,;\n]", value) if clean_text(part)]
    return value


SealNumbers = Annotated[list[Annotated[CleanText, Field(min_length=1, max_length=100)]],
                        BeforeValidator(_split_seals)]
DvrOffset = Annotated[
    timedelta | None,
    BeforeValidator(parse_offset),
    PlainSerializer(lambda d: None if d is None else format_offset(d), return_type=str | None),
]


MAX_DVR_OFFSET = timedelta(days=365 * 200)
"""The largest DVR offset taken (a recorder reset to 1970 is about 57 years off)."""


class CaseData(Contract):
    """The case facts that name the folder tree and are written into the evidence record."""

    error_class: ClassVar = CaseError

    occurrence: CleanText = Field(min_length=1, max_length=200)
    """Occurrence (incident) number; required."""
    business: OptionalText = None
    """Business or premises the footage comes from."""
    location: OptionalText = None
    """Address or place of the recorder."""
    video_start: OptionalDatetime = None
    """Start of the requested video window, as shown by the recorder (ISO 8601)."""
    video_end: OptionalDatetime = None
    """End of the requested video window, as shown by the recorder (ISO 8601)."""
    dvr_offset: DvrOffset = None
    """How far the recorder clock is ahead of real time (negative: behind), e.g. `+01:30:00`."""
    recorders: Annotated[list[Recorder], AfterValidator(check_recorders)] = Field(
        default_factory=list)
    """The recorders the footage comes from, with their clocks (time zone, daylight saving,
    observations). None given: one recorder with `dvr_offset` as its clock."""
    time_zone: ZoneName = None
    """IANA zone real times are shown in (e.g. `America/Toronto`); None: as stored (UTC)."""
    technician: OptionalText = None
    """Who performs the intake."""
    badge_number: OptionalText = None
    """The technician's badge or staff number."""
    exhibit_number: OptionalText = None
    """Exhibit or item number the unit gives this evidence."""
    seal_numbers: SealNumbers = Field(default_factory=list)
    """Numbers of the seals on the evidence bag or drive (a text is split at `,` / `;`)."""
    received_from_name: OptionalText = None
    """Who handed the evidence over."""
    received_from_organisation: OptionalText = None
    """The organisation (business, agency) that handed it over."""
    received_at: OptionalDatetime = None
    """When it was received (ISO 8601, local time)."""
    seized_at: OptionalText = None
    """Where it was seized or collected (place)."""
    notes: OptionalText = None
    """Free notes kept with the case record."""
    intake_time: OptionalDatetime = Field(default_factory=intake_now)
    """When the case was taken in (set when the case is created, local time with its UTC
    offset; recorded with the case in the custody log): `{intake_time:%Y}` in a template is
    the intake year. None for cases recorded before the field existed."""

    def exhibit_facts(self) -> list[tuple[str, str]]:
        """The exhibit facts that are known, labelled as an intake form and the report show
        them (the one owner of those labels: report, bag-info, ZIP record)."""
        facts = [
            ("Exhibit / item number", self.exhibit_number),
            ("Seal numbers", ", ".join(self.seal_numbers) or None),
            ("Received from", self.received_from_name),
            ("Received from (organisation)", self.received_from_organisation),
            ("Received at", None if self.received_at is None
             else self.received_at.isoformat(sep=" ")),
            ("Seized at", self.seized_at),
        ]
        return [(label, value) for label, value in facts if value]

    def recorder_facts(self) -> list[tuple[str, str]]:
        """Each recorder of the case, labelled `Recorder 1`, ... (report, bag-info)."""
        return [(f"Recorder {number}", recorder.describe())
                for number, recorder in enumerate(self.recorders, start=1)]

    @field_validator("occurrence")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("video_start", "video_end", "intake_time", "received_at")
    @classmethod
    def _whole_seconds(cls, value: datetime | None) -> datetime | None:
        return None if value is None else value.replace(microsecond=0)

    @field_validator("video_end")
    @classmethod
    def _after_start(cls, end: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("video_start")
        if start is not None and end is not None:
            if (start.tzinfo is None) != (end.tzinfo is None):
                raise ValueError("video_start and video_end must both have a time zone or neither")
            if end < start:
                raise ValueError(f"is before video_start ({start:%Y-%m-%d %H:%M})")
        return end

    @field_validator("dvr_offset")
    @classmethod
    def _within_calendar(cls, offset: timedelta | None, info: ValidationInfo) -> timedelta | None:
        if offset is not None and abs(offset) > MAX_DVR_OFFSET:
            raise ValueError(f"is more than {MAX_DVR_OFFSET.days // 365} years: no recorder's "
                             "clock is that far off; check the value")
        for name in ("video_start", "video_end"):
            shown = info.data.get(name)
            if shown is not None and offset is not None:
                try:
                    shown - offset
                except OverflowError:
                    raise ValueError(f"the offset moves {name} out of the calendar") from None
        return offset

    def clock_recorders(self) -> list[Recorder]:
        """The recorders whose clocks turn recorder times into real times: the case's own,
        else one standing for `dvr_offset` (no zone, no drift), else none."""
        if self.recorders:
            return list(self.recorders)
        return [Recorder.from_offset(self.dvr_offset)] if self.dvr_offset is not None else []

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> CaseData:
        """The case as an evidence record stored it: one recorded before `intake_time`
        existed keeps None there, not the time it is read back."""
        return cls.model_validate({"intake_time": None, **data})

    @property
    def real_start(self) -> datetime | None:
        """`video_start` corrected by the DVR offset (real time)."""
        return self._real(self.video_start)

    @property
    def real_end(self) -> datetime | None:
        """`video_end` corrected by the DVR offset (real time)."""
        return self._real(self.video_end)

    def _real(self, shown: datetime | None) -> datetime | None:
        if shown is None:
            return None
        return shown - (self.dvr_offset or timedelta(0))

    def template_values(self) -> dict[str, str | datetime | None]:
        """Every value a template may name: the fields plus `real_start` / `real_end`."""
        values: dict[str, str | datetime | None] = {
            name: getattr(self, name) for name in type(self).model_fields
            if name not in ("dvr_offset", "recorders", "seal_numbers")
        }
        values["seal_numbers"] = ", ".join(self.seal_numbers) or None
        values["dvr_offset"] = None if self.dvr_offset is None else format_offset(self.dvr_offset)
        values["real_start"] = self.real_start
        values["real_end"] = self.real_end
        return values


TEMPLATE_FIELDS: frozenset[str] = (frozenset(CaseData.model_fields) - {"recorders"}) | {
    "real_start", "real_end"}
"""Names a template placeholder may use."""
DATETIME_FIELDS: frozenset[str] = frozenset(
    {"video_start", "video_end", "real_start", "real_end", "intake_time"}
)
"""Template fields that take a strftime format spec."""

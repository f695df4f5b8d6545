"""The recorders of a case and their clocks: time zone, daylight saving, offset and drift.

A recorder's times stay naive on its own clock (what its file names, containers and screen
say). Its clock is read against real time from observations ("it showed X when the real time
was Y"): one observation gives a constant offset; two or more give an offset and a linear
drift (a least-squares line of the clock's error against its own readings). A recorder's wall
clock follows its zone's daylight-saving changes unless it `observes_dst=False`, in which case
it stays on the zone's standard time all year. A reading that its zone makes ambiguous (the
repeated hour) or impossible (the skipped hour) is a typed problem, never a guess.

Real times are UTC (`datetime` with `timezone.utc`) and shown in the case's zone. A recorder
with no zone has naive real times (its offset applied, zone unknown).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, ClassVar, Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator

from workbench.errors import CaseError, Problem
from workbench.model import Contract

DEFAULT_RECORDER = "recorder"
"""Name of the one recorder a case's plain `dvr_offset` stands for."""
_EPOCH = datetime(2000, 1, 1)
"""Where a drift line is anchored (any fixed reading will do; it keeps the numbers small)."""


def check_zone(value: str | None) -> str | None:
    """An IANA time zone name (`Europe/London`), checked against the zone database."""
    if value is None:
        return None
    name = value.strip()
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone name such as Europe/London") from None
    return name


ZoneName = Annotated[str | None, AfterValidator(check_zone)]


class _ClockProblem(Problem):
    recorder: str
    """The recorder whose clock gave the reading."""
    shown: datetime
    """The reading (recorder clock)."""
    time_zone: str
    """The recorder's zone."""


class AmbiguousTime(_ClockProblem):
    type: Literal["AmbiguousTime"] = "AmbiguousTime"

    def describe(self) -> str:
        return (f"{self.shown:%Y-%m-%d %H:%M:%S} on {self.recorder} happened twice in "
                f"{self.time_zone} (the hour repeated when daylight saving ended): its real "
                "time is one of two, an hour apart.")


class NonexistentTime(_ClockProblem):
    type: Literal["NonexistentTime"] = "NonexistentTime"

    def describe(self) -> str:
        return (f"{self.shown:%Y-%m-%d %H:%M:%S} on {self.recorder} never happened in "
                f"{self.time_zone} (the hour skipped when daylight saving began): the "
                "recorder may ignore daylight saving.")


ClockProblem = Annotated[AmbiguousTime | NonexistentTime, Field(discriminator="type")]
"""A reading that a daylight-saving change leaves without one real time."""


class RealTime(NamedTuple):
    """A recorder reading in real time: UTC (naive when the recorder has no zone), or None
    with the problem that stops it."""

    moment: datetime | None
    problem: AmbiguousTime | NonexistentTime | None = None


class ClockObservation(Contract):
    """The recorder showed `recorder_time` when the real time was `real_time`."""

    error_class: ClassVar = CaseError

    recorder_time: datetime
    """What the recorder's clock showed (naive, its own wall clock)."""
    real_time: datetime
    """The real time then: with a UTC offset, or naive in the recorder's own zone."""
    note: str | None = None
    """How it was observed (a photo of the screen, a phone clock...)."""

    @field_validator("recorder_time")
    @classmethod
    def _naive(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=None)


class Recorder(Contract):
    """A DVR / NVR (or camera) that made some of a case's footage, and its clock."""

    error_class: ClassVar = CaseError

    name: str = Field(min_length=1, max_length=120)
    """Its name in the case (unique): lanes of its cameras are labelled with it."""
    make: str | None = None
    """Manufacturer, e.g. Hikvision."""
    model: str | None = None
    """Model, e.g. DS-7608NI-K2."""
    serial: str | None = None
    """Serial number."""
    time_zone: ZoneName = None
    """IANA zone its clock is set to (None: unknown; real times then have no zone)."""
    observes_dst: bool = True
    """Whether its clock follows daylight saving (False: standard time all year)."""
    folders: list[str] = Field(default_factory=list)
    """Folders of the export (relative, `/`-separated) that hold its footage."""
    observations: list[ClockObservation] = Field(default_factory=list)
    """Clock observations: none (its clock taken as right), one (offset), two+ (drift)."""

    @field_validator("name", "make", "model", "serial")
    @classmethod
    def _stripped(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("observations")
    @classmethod
    def _distinct(cls, value: list[ClockObservation]) -> list[ClockObservation]:
        shown = [item.recorder_time for item in value]
        if len(set(shown)) != len(shown):
            raise ValueError("two observations at the same recorder time")
        return value

    def describe(self) -> str:
        """Its name, make, model, serial and time zone in one line; unknown parts said so."""
        made = " ".join(part for part in (self.make, self.model) if part) or "make unknown"
        return (f"{self.name}: {made}, serial {self.serial or 'unknown'}, "
                f"time zone {self.time_zone or 'unknown'}")

    def zone(self) -> ZoneInfo | None:
        """Its zone, if known."""
        return ZoneInfo(self.time_zone) if self.time_zone else None

    def as_if_right(self, shown: datetime) -> RealTime:
        """`shown` in UTC as if the clock were right (only its zone and DST rule applied)."""
        zone = self.zone()
        if zone is None:
            return RealTime(shown)
        if not self.observes_dst:
            standard = _standard_offset(zone, shown)
            return RealTime((shown - standard).replace(tzinfo=timezone.utc))
        early = shown.replace(tzinfo=zone, fold=0)
        late = shown.replace(tzinfo=zone, fold=1)
        if early.utcoffset() != late.utcoffset():
            round_trip = early.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
            kind = AmbiguousTime if round_trip == shown else NonexistentTime
            return RealTime(None, kind(recorder=self.name, shown=shown,
                                       time_zone=self.time_zone or ""))
        return RealTime(early.astimezone(timezone.utc))

    def error_at(self, shown: datetime) -> timedelta:
        """How far ahead of real time the clock is at reading `shown` (offset + drift)."""
        line = self.clock_line()
        if line is None:
            return timedelta(0)
        offset, drift = line
        return timedelta(seconds=offset + drift * (shown - _EPOCH).total_seconds())

    def clock_line(self) -> tuple[float, float] | None:
        """(seconds ahead at the anchor reading, drift in seconds per second): the
        least-squares line through the observations; drift 0 with one; None with none."""
        points = []
        for item in self.observations:
            right = self.as_if_right(item.recorder_time).moment
            real = self._real_utc(item.real_time)
            if right is None or real is None:
                continue
            points.append(((item.recorder_time - _EPOCH).total_seconds(),
                           (_plain(right) - _plain(real)).total_seconds()))
        if not points:
            return None
        if len(points) == 1:
            return points[0][1], 0.0
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        drift = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
        return mean_y - drift * mean_x, drift

    def real(self, shown: datetime | None) -> RealTime:
        """Reading `shown` in real time (UTC with a zone; naive without)."""
        if shown is None:
            return RealTime(None)
        right = self.as_if_right(shown)
        if right.moment is None:
            return right
        return RealTime(right.moment - self.error_at(shown))

    def _real_utc(self, moment: datetime) -> datetime | None:
        if moment.tzinfo is not None:
            return moment.astimezone(timezone.utc) if self.time_zone else moment.replace(
                tzinfo=None)
        zone = self.zone()
        return moment.replace(tzinfo=zone).astimezone(timezone.utc) if zone else moment

    @classmethod
    def from_offset(cls, offset: timedelta, name: str = DEFAULT_RECORDER) -> Recorder:
        """The one recorder of a case's plain `dvr_offset`: no zone, one observation."""
        return cls(name=name, observations=[
            ClockObservation(recorder_time=_EPOCH, real_time=_EPOCH - offset,
                             note="the case's DVR offset")])


def _standard_offset(zone: ZoneInfo, shown: datetime) -> timedelta:
    local = shown.replace(tzinfo=zone)
    return (local.utcoffset() or timedelta(0)) - (local.dst() or timedelta(0))


def _plain(moment: datetime) -> datetime:
    """A UTC or naive time as naive (for differences between the two kinds)."""
    return moment.replace(tzinfo=None)


def check_recorders(recorders: list[Recorder]) -> list[Recorder]:
    """Recorders with distinct names, each folder claimed by one recorder at most."""
    names = [recorder.name for recorder in recorders]
    if len(set(names)) != len(names):
        raise ValueError("two recorders have the same name")
    folders = [folder for recorder in recorders for folder in recorder.folders]
    if len(set(folders)) != len(folders):
        raise ValueError("a folder is given to two recorders")
    return recorders


__all__ = [
    "DEFAULT_RECORDER",
    "AmbiguousTime",
    "ClockObservation",
    "ClockProblem",
    "NonexistentTime",
    "RealTime",
    "Recorder",
    "ZoneName",
    "check_recorders",
    "check_zone",
]

"""What a clip's frame timestamps say: the recorded intervals, the rates, the timing problems.

Times are seconds on the clip's own timeline (`origin="clip"`: subtract `first_s` for the
offset into the clip) or, for a container whose frames carry the recorder's real-time clock
(Dahua `.dav`), seconds since the Unix epoch on the recorder's clock (`origin="epoch"`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from workbench.errors import MediaError, Problem
from workbench.model import Contract

RateSource = Literal["container", "stream-headers", "analyst"]
"""Where a nominal rate came from: the container's header, a raw stream's own sequence
headers (H.264 / HEVC VUI timing), or the analyst (set for a file or a camera)."""
Origin = Literal["clip", "epoch"]
"""What interval times count from: the clip's own timeline, or the Unix epoch (a recorder
clock carried in every frame)."""


class DefaultFrameRate(Problem):
    type: Literal["DefaultFrameRate"] = "DefaultFrameRate"
    assumed_fps: float | None = None
    """The rate FFmpeg times the stream at for want of one (25 for raw streams)."""

    def describe(self) -> str:
        assumed = f" (FFmpeg assumes {self.assumed_fps:g} fps)" if self.assumed_fps else ""
        return (f"No header gives the frame rate{assumed}: the rate, the duration and every "
                "frame time are unknown until a rate is set for this file or camera "
                "(`workbench media --rate`, `probe_media(rates=...)`).")


class TimestampJump(Problem):
    type: Literal["TimestampJump"] = "TimestampJump"
    at_s: float
    """Where the jump starts (seconds, the clip's timeline)."""
    seconds: float
    """How far the timestamps jump forward."""
    count: int = 1
    """Jumps of this size or more in the clip."""

    def describe(self) -> str:
        more = f" ({self.count} such jumps)" if self.count > 1 else ""
        return (f"The frame timestamps jump {self.seconds:,.0f} s forward at "
                f"{self.at_s:,.3f} s{more}.")


class NonMonotonic(Problem):
    type: Literal["NonMonotonic"] = "NonMonotonic"
    backwards: int
    """Frames whose timestamp is earlier than the one before (in presentation order)."""
    repeated: int
    """Frames whose timestamp equals the one before."""
    first_at_s: float
    """The first such frame's time (seconds)."""

    def describe(self) -> str:
        return (f"Frame timestamps go backwards {self.backwards:,} time(s) and repeat "
                f"{self.repeated:,} time(s), first at {self.first_at_s:,.3f} s.")


class RateMismatch(Problem):
    type: Literal["RateMismatch"] = "RateMismatch"
    nominal_fps: float
    """The rate the header gives."""
    measured_fps: float
    """The rate of the frames (from their median interval)."""

    def describe(self) -> str:
        return (f"The header says {self.nominal_fps:g} fps but the frames come at "
                f"{self.measured_fps:g} fps.")


class DurationMismatch(Problem):
    type: Literal["DurationMismatch"] = "DurationMismatch"
    named_s: float
    """The duration the file name gives (end minus start)."""
    content_s: float
    """The span of its frames."""

    def describe(self) -> str:
        return (f"The file name spans {self.named_s:,.0f} s but its frames span "
                f"{self.content_s:,.0f} s.")


TimingProblem = Annotated[
    DefaultFrameRate | TimestampJump | NonMonotonic | RateMismatch | DurationMismatch,
    Field(discriminator="type"),
]
"""Every timing problem, told apart by its `type` tag: a finding about a clip's timing, not a
failure (the clip is still described)."""


class Rate(Contract):
    """A frame rate as the exact fraction its source gives (30000/1001, not 29.97)."""

    error_class: ClassVar = MediaError

    num: int = Field(gt=0)
    """Numerator (frames)."""
    den: int = Field(gt=0)
    """Denominator (seconds)."""

    @classmethod
    def of(cls, value: Fraction | None) -> Rate | None:
        """The rate of a positive fraction; None for none, zero or a negative one."""
        if value is None or value <= 0:
            return None
        return cls(num=value.numerator, den=value.denominator)

    @property
    def fraction(self) -> Fraction:
        """The rate as a `Fraction`."""
        return Fraction(self.num, self.den)

    @property
    def fps(self) -> float:
        """Frames per second."""
        return self.num / self.den


class Interval(Contract):
    """A run of frames whose spacing stays within the break tolerance."""

    error_class: ClassVar = MediaError

    start_s: float
    """Time of its first frame (seconds, see `FrameTiming.origin`)."""
    end_s: float
    """Time its last frame ends (its timestamp plus one frame interval)."""
    frames: int
    """Frames in it."""


class FrameTiming(Contract):
    """The timing of one video stream read from every packet's timestamp (no decoding).

    Kept per clip: the intervals (one per run of frames, never one object per frame), the
    counts, the rates and the problems; what memory a reduction uses does not grow with the
    number of frames.
    """

    error_class: ClassVar = MediaError

    stream: int
    """Index of the video stream."""
    origin: Origin = "clip"
    """What the interval times count from."""
    frames: int
    """Packets (frames) of the stream, counted."""
    first_s: float | None = None
    """Time of the earliest frame; None when no frame has a timestamp."""
    intervals: list[Interval] = Field(default_factory=list)
    """The recorded runs, in time order; empty when the extent is unknown."""
    intervals_capped: bool = False
    """Whether breaks past the kept maximum were folded into the last interval."""
    nominal_rate: Rate | None = None
    """The rate a header gives; None when none does (then `DefaultFrameRate` says so)."""
    rate_source: RateSource | None = None
    """Which header gave it, or `analyst` when the analyst set it."""
    header_rate: Rate | None = None
    """When the analyst set the rate: what the headers gave (None: no header gives one)."""
    raw: bool = False
    """Whether the stream is a raw elementary stream: its timestamps are FFmpeg's invention,
    so its extent is frames / rate (unknown without a rate)."""
    measured_fps: float | None = None
    """Frames per second from the median interval between frames; None for a raw stream
    (its timestamps are FFmpeg's, not the recorder's) or fewer than two timed frames."""
    variable_rate: bool = False
    """Whether more than a tenth of the intervals stray over 10 % from the median."""
    tolerance_s: float | None = None
    """Frames further apart than this start a new interval."""
    timestamps_digest: str
    """BLAKE2b-128 of every packet's (pts, dts) in stream order: equal to the digest of
    `ffprobe -show_packets`' timestamps of the same stream (see
    `media.decode.reduce.timestamp_digest`)."""
    problems: list[TimingProblem] = Field(default_factory=list)
    """What is wrong with the timing."""

    @property
    def rate_set_by_analyst(self) -> bool:
        """Whether the nominal rate is the analyst's, not a header's."""
        return self.rate_source == "analyst"

    @property
    def duration_s(self) -> float | None:
        """From the first frame to the end of the last; None when the extent is unknown."""
        if not self.intervals:
            return None
        return max(i.end_s for i in self.intervals) - min(i.start_s for i in self.intervals)

    @property
    def recorded_s(self) -> float:
        """Seconds inside intervals (the gaps between them left out)."""
        return sum(i.end_s - i.start_s for i in self.intervals)


__all__ = [
    "DefaultFrameRate",
    "DurationMismatch",
    "FrameTiming",
    "Interval",
    "NonMonotonic",
    "Origin",
    "Rate",
    "RateMismatch",
    "RateSource",
    "TimestampJump",
    "TimingProblem",
]

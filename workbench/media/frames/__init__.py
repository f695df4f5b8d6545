"""Frame timing, typed: the intervals a clip really recorded, the nominal and measured rates
and the typed timing problems. The worker that demuxes reduces the packet timestamps to these
models' fields in plain types (`media.decode.reduce`: no pydantic in a worker); every reader
of a report shares the models.

For other rooms (playable copies of raw streams), the contract is `FrameTiming`: per clip,
`intervals` (seconds, see `origin`), `nominal_rate` (an exact `Rate`, None when unknown: a
raw stream without VUI timing, flagged `DefaultFrameRate`), `frames`, `measured_fps`. Frame
`i` of a raw stream with a known rate is at `i / nominal_rate.fraction` seconds.
"""

from workbench.media.frames.types import (
    DefaultFrameRate,
    DurationMismatch,
    FrameTiming,
    Interval,
    NonMonotonic,
    Origin,
    Rate,
    RateMismatch,
    RateSource,
    TimestampJump,
    TimingProblem,
)

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

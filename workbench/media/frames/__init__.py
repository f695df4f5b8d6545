"""Frame timing: packet timestamps reduced to the intervals a clip really recorded, the
nominal and measured rates and the typed timing problems. Pure Python: the worker that
demuxes (`media.decode.timing`) and every reader of a report share it.

For other rooms (playable copies of raw streams), the contract is `FrameTiming`: per clip,
`intervals` (seconds, see `origin`), `nominal_rate` (an exact `Rate`, None when unknown: a
raw stream without VUI timing, flagged `DefaultFrameRate`), `frames`, `measured_fps`. Frame
`i` of a raw stream with a known rate is at `i / nominal_rate.fraction` seconds.
"""

from workbench.media.frames.reduce import (
    MAX_BREAKS,
    REORDER_DEPTH,
    TimestampReducer,
    timestamp_digest,
    with_analyst_rate,
)
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
    "MAX_BREAKS",
    "REORDER_DEPTH",
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
    "TimestampReducer",
    "TimingProblem",
    "timestamp_digest",
    "with_analyst_rate",
]

"""Reading untrusted media: the PyAV probe of one file, the checks of a container's own
structure, and the pool of worker processes that runs them (a crash costs one worker)."""

from workbench.media.decode.pool import (
    Crashed,
    Failed,
    Failure,
    TimedOut,
    WorkerPool,
    WorkerStartError,
)
from workbench.media.decode.probe import (
    VIDEO_SUFFIXES,
    ProbeRequest,
    ProbeResult,
    claimed_kind,
    probe_file,
)
from workbench.media.decode.types import MediaKind, Probe, StreamInfo

__all__ = [
    "VIDEO_SUFFIXES",
    "Crashed",
    "Failed",
    "Failure",
    "MediaKind",
    "Probe",
    "ProbeRequest",
    "ProbeResult",
    "StreamInfo",
    "TimedOut",
    "WorkerPool",
    "WorkerStartError",
    "claimed_kind",
    "probe_file",
]

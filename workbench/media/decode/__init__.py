"""Reading untrusted media: the PyAV probe of one file, the checks of a container's own
structure, and the pool of worker processes that runs them (a crash costs one worker).

The probe itself (`probe.py`, PyAV and Pillow) loads in the workers, not here."""

from workbench.media.decode.files import (
    VIDEO_SUFFIXES,
    MediaKind,
    ProbeRequest,
    ProbeResult,
    claimed_kind,
)
from workbench.media.decode.pool import (
    Crashed,
    Failed,
    Failure,
    TimedOut,
    WorkerPool,
    WorkerStartError,
    close_shared_pools,
    shared_pool,
)
from workbench.media.decode.types import Probe, StreamInfo, probe_of

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
    "close_shared_pools",
    "probe_of",
    "shared_pool",
]

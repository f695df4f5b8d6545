"""Reading untrusted media: the PyAV probe of one file, the checks of a container's own
structure and the reduction of its frame timestamps, run in the pool of worker processes of
`media.workers` (a crash costs one worker), and the typed answer built in the caller.

The probe itself (`probe.py`, PyAV and Pillow) loads in the workers, not here, and answers in
plain types: a worker never loads pydantic or the workbench's models."""

from workbench.media.decode.files import (
    VIDEO_SUFFIXES,
    MediaKind,
    ProbeRequest,
    ProbeResult,
    claimed_kind,
)
from workbench.media.decode.types import Probe, StreamInfo, probe_of
from workbench.media.workers import (
    Crashed,
    Failed,
    Failure,
    TimedOut,
    WorkerPool,
    WorkerStartError,
    close_shared_pools,
    shared_pool,
)

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

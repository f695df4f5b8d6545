"""What the parent sends a worker (one output to make) and what it gets back: plain tuples
that pickle, with no PyAV in them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from workbench.errors import ErrorPayload


class Clip(NamedTuple):
    """One master clip of a job."""

    path: str
    name: str
    """Its path in the case folder (for messages and chapter titles)."""
    recorder_start: datetime | None
    offset: timedelta | None
    """How far the recorder is ahead of real time (None: not recorded)."""
    expected_blake3: str | None
    """Its blake3 in the case manifest (None: not listed)."""
    damaged: bool
    """Whether the analysis found it damaged (a copy of it can only be `partial`)."""


class RemuxJob(NamedTuple):
    """What one worker makes: one copy of one clip, or of a camera's clips joined."""

    clips: tuple[Clip, ...]
    partial: str
    srt_partial: str | None
    """Where the `.srt` goes, for a container without a subtitle track; None: a track."""
    container: str
    deep: bool
    metadata: dict[str, str]


class RemuxResult(NamedTuple):
    """What the worker found."""

    status: str
    packets: int = 0
    source_blake3: tuple[str | None, ...] = ()
    output_blake3: str | None = None
    srt_blake3: str | None = None
    error: ErrorPayload | None = None
    missing_from: int | None = None
    missing_bytes: int | None = None
    filled: int = 0
    exact: bool = True
    frames: int | None = None
    cache_free: bool = False
    chapters: int = 0
    notes: tuple[str, ...] = ()


__all__ = ["Clip", "RemuxJob", "RemuxResult"]

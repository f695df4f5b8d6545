"""What the parent sends the render worker and gets back: plain tuples that pickle."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from workbench.errors import ErrorPayload


class TileClip(NamedTuple):
    """One clip on a camera's lane, in real time, and what to mark it with."""

    path: str
    real_start: datetime
    real_end: datetime
    offset: timedelta
    """Recorder clock minus real time (zero when none is recorded)."""
    problem: str | None
    """The type tag of its problem, when it is damaged (the tile is marked)."""


class Lane(NamedTuple):
    """One camera's tile."""

    camera: str
    clips: tuple[TileClip, ...]
    """In time order."""
    offset_known: bool
    """Whether the recorder's offset to real time is recorded (else the burnt-in real clock
    says it is the recorder's)."""


class RenderJob(NamedTuple):
    """The window to render, its lanes and the encoder settings."""

    lanes: tuple[Lane, ...]
    start: datetime
    end: datetime
    fps: int
    tile: tuple[int, int]
    """Width and height of one tile (the cameras' native size)."""
    partial: str
    codec: str
    options: dict[str, str]
    bit_rate: int
    progress: str | None = None
    """The counter file the worker writes its frames done to (see `progress`), if any."""


class RenderResult(NamedTuple):
    """Frames written, the video's blake3 read back, or the typed error."""

    frames: int = 0
    blake3: str | None = None
    error: ErrorPayload | None = None


__all__ = ["Lane", "RenderJob", "RenderResult", "TileClip"]

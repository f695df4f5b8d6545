"""Frames done of a render, from the worker process to the parent: one 8-byte counter in a
small temporary file (outside the case folder) that the worker overwrites and a thread of the
parent polls. The pool keeps its one-result-per-item protocol; a crashed worker only stops
the counter."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

POLL_SECONDS = 0.25
"""How often the parent looks at the counter (and at most how often the worker writes it)."""


def frame_step(fps: int) -> timedelta:
    """The time between two frames of the video."""
    return timedelta(seconds=1 / fps)


def frame_total(start: datetime, end: datetime, fps: int) -> int:
    """Frames of a window: one at every step from `start` while before `end`."""
    return max(1, -((start - end) // frame_step(fps)))


class FrameCounter:
    """The worker's side: writes how many frames are done (no-op without a counter file)."""

    def __init__(self, path: str | None) -> None:
        self.handle: BinaryIO | None = (
            Path(path).open("r+b", buffering=0) if path else None)  # noqa: SIM115 - close()
        self.written = 0.0

    def update(self, frames: int, *, last: bool = False) -> None:
        """`frames` done; written at most every half poll, and always when `last`."""
        now = time.monotonic()
        if self.handle is not None and (last or now - self.written >= POLL_SECONDS / 2):
            self.handle.seek(0)
            self.handle.write(frames.to_bytes(8, "little"))
            self.written = now

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class FrameWatch:
    """The parent's side: a counter file for the worker (`.path`, None without a callback) and
    a thread that calls `on_frames(done)` whenever the count moves, until the block ends."""

    def __init__(self, on_frames: Callable[[int], None] | None) -> None:
        self.on_frames = on_frames
        self.path: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = 0

    def __enter__(self) -> FrameWatch:
        if self.on_frames is not None:
            fd, self.path = tempfile.mkstemp(prefix="workbench-frames-")
            os.close(fd)
            self._thread = threading.Thread(target=self._watch, name="frame-watch",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.path is not None:
            self._look()
            Path(self.path).unlink(missing_ok=True)

    def _watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._look()

    def _look(self) -> None:
        assert self.path is not None and self.on_frames is not None
        data = Path(self.path).read_bytes()[:8]
        done = int.from_bytes(data, "little") if len(data) == 8 else 0
        if done != self._shown:
            self._shown = done
            self.on_frames(done)


__all__ = ["POLL_SECONDS", "FrameCounter", "FrameWatch", "frame_step", "frame_total"]

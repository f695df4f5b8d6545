"""Progress of a copy or an audit: the event's type and a throttled tracker, cheap enough to
call from every worker chunk."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import Field

from workbench import events
from workbench.evidence.types import Role
from workbench.model import Contract


class DestinationState(Contract):
    """Progress of one destination during a run."""

    destination: Path
    """The case folder."""
    role: Role
    """master or working."""
    files_verified: int = 0
    """Files verified so far at this destination."""
    files_failed: int = 0
    """Files failed so far at this destination."""


class ProgressEvent(Contract):
    """A throttled snapshot of a running copy (also emitted as `processing:progress`)."""

    percent: float
    """0–100, by bytes read from the sources (each source byte counted once)."""
    current_file: str
    """Relative path of the file being read."""
    bytes_done: int
    """Source bytes read and written so far."""
    bytes_total: int
    """Source bytes to read in this run."""
    files_done: int
    """Source files finished (verified, failed or skipped)."""
    files_total: int
    """Source files in this run."""
    speed_mbps: float
    """Average read speed so far, in MB/s (10^6 bytes)."""
    destinations: list[DestinationState] = Field(default_factory=list)
    """Per-destination state, master first."""


ProgressCallback = Callable[[ProgressEvent], None]
"""Receives each throttled `ProgressEvent` (on a worker thread)."""

INTERVAL_S = 0.1
"""At most about ten events a second, plus the final one."""


class ProgressTracker:
    """Counts source bytes (once) and finished files; emits a snapshot at most every 0.1 s."""

    def __init__(
        self,
        *,
        files_total: int,
        bytes_total: int,
        targets: Sequence[tuple[Path, Role]] = (),
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self._files_total, self._bytes_total = files_total, bytes_total
        self._targets = list(targets)
        self._verified = [0] * len(self._targets)
        self._failed = [0] * len(self._targets)
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._bytes_done = self._files_done = 0
        self._current = ""
        self._started = time.monotonic()
        self._last_emit = 0.0

    def read(self, count: int, current: str) -> None:
        """`count` more source bytes were read from `current`."""
        with self._lock:
            self._bytes_done += count
            self._current = current
        self._maybe_emit()

    def file_done(self, outcomes: Sequence[tuple[int, bool]] = ()) -> None:
        """One source file finished; `outcomes` are (target index, verified?) pairs."""
        with self._lock:
            self._files_done += 1
            for index, verified in outcomes:
                if verified:
                    self._verified[index] += 1
                else:
                    self._failed[index] += 1
        self._maybe_emit()

    def finish(self) -> ProgressEvent:
        """Emit the final event (100 % when everything ran) and return it."""
        event = self._snapshot()
        self._deliver(event)
        return event

    def _maybe_emit(self) -> None:
        now = time.monotonic()
        if now - self._last_emit < INTERVAL_S:
            return
        with self._lock:
            if now - self._last_emit < INTERVAL_S:
                return
            self._last_emit = now
        self._deliver(self._snapshot())

    def _deliver(self, event: ProgressEvent) -> None:
        if self._on_progress is not None:
            self._on_progress(event)
        events.emit(events.PROCESSING_PROGRESS, event)

    def _snapshot(self) -> ProgressEvent:
        with self._lock:
            done, total = self._bytes_done, self._bytes_total
            files_done, files_total = self._files_done, self._files_total
            if files_done >= files_total:
                percent = 100.0
            elif total:
                percent = min(100.0 * done / total, 99.9)  # 100 only once every file is done
            else:
                percent = 100.0 * files_done / files_total
            elapsed = max(time.monotonic() - self._started, 1e-9)
            return ProgressEvent(
                percent=percent,
                current_file=self._current,
                bytes_done=done,
                bytes_total=total,
                files_done=files_done,
                files_total=files_total,
                speed_mbps=done / elapsed / 1e6,
                destinations=[
                    DestinationState(
                        destination=destination, role=role,
                        files_verified=self._verified[i], files_failed=self._failed[i],
                    )
                    for i, (destination, role) in enumerate(self._targets)
                ],
            )

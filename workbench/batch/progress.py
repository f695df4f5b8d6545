"""Progress of a whole batch: source bytes over every case, the case being copied."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from workbench import events
from workbench.batch.types import BatchProgress
from workbench.evidence.progress import INTERVAL_S, ProgressEvent

BatchProgressCallback = Callable[[BatchProgress], None]
"""Receives each throttled `BatchProgress` (on a worker thread)."""


class BatchTracker:
    """Adds up the copies' progress events; emits a snapshot at most every `INTERVAL_S`."""

    def __init__(self, planned: dict[int, tuple[str, int]],
                 on_progress: BatchProgressCallback | None) -> None:
        """`planned`: row → (occurrence, source bytes its copy reads)."""
        self._planned = planned
        self._done: dict[int, int] = dict.fromkeys(planned, 0)
        self._running: set[int] = set()
        self._finished = 0
        self._current: tuple[int | None, str] = (None, "")
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._last_emit = 0.0

    def started(self, row: int) -> None:
        """The copy of `row` begins."""
        with self._lock:
            self._running.add(row)
            self._current = (row, "")
        self._emit(force=True)

    def relay(self, row: int) -> Callable[[ProgressEvent], None]:
        """The `on_progress` of the copy of `row`."""
        def update(event: ProgressEvent) -> None:
            with self._lock:
                self._done[row] = min(event.bytes_done, self._planned[row][1])
                self._current = (row, event.current_file)
            self._emit()
        return update

    def finished(self, row: int) -> None:
        """The copy of `row` ended, whatever its outcome: all its bytes count as done."""
        with self._lock:
            self._done[row] = self._planned[row][1]
            self._running.discard(row)
            self._finished += 1
        self._emit(force=True)

    def _emit(self, *, force: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            if not force and now - self._last_emit < INTERVAL_S:
                return
            self._last_emit = now
            done, total = sum(self._done.values()), sum(size for _, size in
                                                         self._planned.values())
            row, current_file = self._current
            cases_total = len(self._planned)
            if self._finished >= cases_total:
                percent = 100.0
            else:
                percent = min(100.0 * done / total, 99.9) if total else (
                    100.0 * self._finished / cases_total)
            snapshot = BatchProgress(
                percent=percent, bytes_done=done, bytes_total=total,
                cases_done=self._finished, cases_total=cases_total, current_row=row,
                current_case=self._planned[row][0] if row is not None else "",
                current_file=current_file, running=sorted(self._running),
                speed_mbps=done / max(now - self._started, 1e-9) / 1e6,
            )
        if self._on_progress is not None:
            self._on_progress(snapshot)
        events.emit(events.BATCH_PROGRESS, snapshot)

"""Progress: throttled snapshots from the worker threads, the final one at 100 %."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from workbench import events
from workbench.evidence import ProgressEvent, progress
from workbench.evidence.progress import ProgressTracker
from workbench.processing import run_copy


def test_events_are_throttled_and_the_last_is_complete(
    tmp_path: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for index in range(300):
        (root / f"clip{index:03d}.dav").write_bytes(bytes([index % 256]) * 1000)
    plan = plan_for([root])
    received: list[ProgressEvent] = []
    on_bus: list[ProgressEvent] = []
    unsubscribe = events.subscribe(events.PROCESSING_PROGRESS, on_bus.append)
    try:
        run_copy(plan, on_progress=received.append)
    finally:
        unsubscribe()
    assert received == on_bus
    assert len(received) < 300  # not one per file, let alone per chunk
    last = received[-1]
    assert (last.percent, last.files_done, last.files_total) == (100.0, 300, 300)
    assert last.bytes_done == last.bytes_total == 300_000
    assert last.destinations[0].files_verified == 300
    assert all(a.bytes_done <= b.bytes_done for a, b in pairwise(received))


def test_the_tracker_emits_at_most_ten_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    received: list[ProgressEvent] = []
    tracker = ProgressTracker(files_total=2, bytes_total=1000, on_progress=received.append)
    for _ in range(50):
        tracker.read(10, "a.dav")  # same instant: one event at most
    clock[0] += 0.05
    tracker.read(10, "a.dav")
    clock[0] += 0.06
    tracker.read(10, "a.dav")
    assert len(received) == 2
    assert received[-1].bytes_done == 520
    assert received[-1].percent == pytest.approx(52.0)
    tracker.file_done()
    tracker.file_done()
    final = tracker.finish()
    assert final.percent == 100.0 and received[-1] is final


def test_percent_stays_below_100_until_every_file_is_done() -> None:
    received: list[ProgressEvent] = []
    tracker = ProgressTracker(files_total=1, bytes_total=10, on_progress=received.append)
    tracker.read(10, "a.dav")
    assert received[-1].percent < 100.0

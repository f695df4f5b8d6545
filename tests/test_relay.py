"""The shared progress relay, on a real console tqdm bar (the CLI's) and a status list."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from tqdm import tqdm

from workbench.batch import BatchProgress, FleetProgress
from workbench.conversion import RenderProgress
from workbench.evidence import ProgressEvent
from workbench.media import MediaProgress
from workbench.relay import Relay, reading


def relay_on_a_bar() -> tuple[Relay, list[tqdm[Any]], list[str]]:
    bars: list[tqdm[Any]] = []
    shown: list[str] = []

    def open_bar() -> tqdm[Any]:
        bars.append(tqdm(total=0, file=io.StringIO()))
        return bars[-1]

    return Relay(open_bar, shown.append), bars, shown


def copy_event(done: int, files_done: int) -> ProgressEvent:
    return ProgressEvent(percent=done / 10, current_file="CAM01/a.dav", bytes_done=done,
                         bytes_total=1000, files_done=files_done, files_total=2, speed_mbps=12.0)


def test_no_bar_before_the_first_event_then_bar_and_status_follow() -> None:
    relay, bars, shown = relay_on_a_bar()
    assert relay.bar is None and bars == []
    relay(copy_event(400, 1))
    relay(copy_event(700, 1))  # within the status interval: the bar moves, the line waits
    assert len(bars) == 1 and bars[0].n == 700 and bars[0].total == 1000
    assert shown == ["1/2 files · 12 MB/s · CAM01/a.dav"]
    relay(copy_event(1000, 2))  # the last event is always shown
    assert bars[0].n == 1000 and shown[-1].startswith("2/2 files")


def test_a_new_total_resets_the_bar() -> None:
    relay, bars, _ = relay_on_a_bar()
    relay.show(5, 10, "first")
    relay.show(3, 20, "second")
    assert bars[0].total == 20 and bars[0].n == 3


def test_every_job_progress_reads_as_done_of_total() -> None:
    media = reading(MediaProgress(files_done=3, files_total=3, current="b.mp4"))
    assert media == (3, 3, "3/3 files · b.mp4", True)
    batch = reading(BatchProgress(percent=50.0, bytes_done=5, bytes_total=10, cases_done=1,
                                  cases_total=2, current_row=2, current_case="2026-1"))
    assert batch.done == 5 and batch.total == 10 and not batch.last
    assert batch.text.startswith("1/2 cases · row 2 2026-1")
    fleet = reading(FleetProgress(cases_done=2, cases_total=4, failed=1, current=Path("/s/c")))
    assert fleet == (2, 4, "2/4 case folders · 1 not ok · /s/c", False)
    render = reading(RenderProgress(frames_done=30, frames_total=600, current="timeline.mp4"))
    assert render == (30, 600, "30/600 frames · timeline.mp4", False)

"""The one progress relay the CLI and the widgets share: a long job's progress event becomes
a bar position and a status line. No tqdm here: the caller brings the bar (a console or a
notebook tqdm both fit `Bar`) and says where the status line goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from workbench.batch import BatchProgress, FleetProgress
from workbench.conversion import RenderProgress
from workbench.evidence import ProgressEvent
from workbench.media import MediaProgress

STATUS_INTERVAL = 0.1
"""Seconds between two status-line updates (at most ~10 a second, and always the last)."""

Progress = ProgressEvent | MediaProgress | BatchProgress | FleetProgress | RenderProgress
"""Every long job's progress event: copy, audit and export; probe; batch; fleet audit; the
timeline render."""


class Bar(Protocol):
    """What the relay moves: the part of `tqdm` (console or notebook) it uses."""

    total: float | None
    n: float

    def update(self, n: int = 1) -> Any:
        """Advance by `n`."""

    def reset(self, total: float | None = None) -> None:
        """Back to zero with a new total."""


class Reading(NamedTuple):
    """One event read out: done of total (in the bar's unit), the status line, and whether
    it is the job's last event."""

    done: int
    total: int
    text: str
    last: bool = False


def reading(event: Progress) -> Reading:
    """The bar position and status line of any long job's progress event."""
    if isinstance(event, ProgressEvent):
        return Reading(event.bytes_done, event.bytes_total,
                       f"{event.files_done}/{event.files_total} files · "
                       f"{event.speed_mbps:.0f} MB/s · {event.current_file}",
                       event.files_done == event.files_total)
    if isinstance(event, BatchProgress):
        return Reading(event.bytes_done, event.bytes_total,
                       f"{event.cases_done}/{event.cases_total} cases · row {event.current_row} "
                       f"{event.current_case} · {event.speed_mbps:.0f} MB/s · "
                       f"{event.current_file}", event.cases_done == event.cases_total)
    if isinstance(event, FleetProgress):
        current = "" if event.current is None else f" · {event.current}"
        return Reading(event.cases_done, event.cases_total,
                       f"{event.cases_done}/{event.cases_total} case folders · {event.failed} "
                       f"not ok{current}", event.cases_done == event.cases_total)
    if isinstance(event, RenderProgress):
        return Reading(event.frames_done, event.frames_total,
                       f"{event.frames_done}/{event.frames_total} frames · {event.current}",
                       event.frames_done == event.frames_total)
    return Reading(event.files_done, event.files_total,
                   f"{event.files_done}/{event.files_total} files · {event.current}",
                   event.files_done == event.files_total)


class Relay:
    """Moves a bar on every event and the status line at most ~10 times a second (and on the
    last event). The bar is opened on the first event, so bad input that stops a job before
    it starts shows no bar; `.bar` is None until then. Safe to call from the worker thread
    as long as `open_bar` and `status` only assign (traits, or a console bar's fields)."""

    def __init__(self, open_bar: Callable[[], Bar], status: Callable[[str], None]) -> None:
        self._open_bar, self._status = open_bar, status
        self.bar: Bar | None = None
        self._shown = 0.0

    def show(self, done: int, total: int, text: str, *, last: bool = False) -> None:
        """`done` of `total` (the total may first be known now), and `text` as the status."""
        if self.bar is None:
            self.bar = self._open_bar()
        if self.bar.total != total:
            self.bar.reset(total=total)
        self.bar.update(done - int(self.bar.n))
        now = time.monotonic()
        if last or now - self._shown >= STATUS_INTERVAL:
            self._shown = now
            self._status(text)

    def __call__(self, event: Progress) -> None:
        """Any long job's progress event (see `Progress`)."""
        done, total, text, last = reading(event)
        self.show(done, total, text, last=last)

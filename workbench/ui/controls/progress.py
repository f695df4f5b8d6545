"""Progress from a worker thread into widgets: trait assignments only, batched, throttled."""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets
from tqdm.notebook import tqdm

from workbench.evidence import ProgressEvent
from workbench.ui.controls.common import message_html

STATUS_INTERVAL = 0.1
"""Seconds between two status-line updates from the worker (at most ~10 a second)."""


def set_traits(widget: widgets.Widget, **traits: Any) -> None:
    """Assign several traits of one widget in one front-end message."""
    with widget.hold_sync():
        for name, value in traits.items():
            setattr(widget, name, value)


class BarRelay:
    """Moves a notebook bar and a status line from the worker thread (traits only): the bar on
    every call, the status at most ~10 times a second and on the last call."""

    def __init__(self, bar: tqdm[Any], status: widgets.HTML) -> None:
        self.bar, self.status = bar, status
        self.done = 0
        self.shown = 0.0

    def show(self, done: int, total: int, text: str, *, last: bool = False) -> None:
        """`done` of `total` (the total may first be known now), and `text` as the status."""
        if self.bar.total != total:
            self.bar.reset(total=total)
            self.done = 0
        self.bar.update(done - self.done)
        self.done = done
        now = time.monotonic()
        if last or now - self.shown >= STATUS_INTERVAL:
            self.shown = now
            set_traits(self.status, value=message_html(text))

    def __call__(self, event: ProgressEvent) -> None:
        """A copy's, an audit's or an export's `ProgressEvent`."""
        self.show(event.bytes_done, event.bytes_total,
                  f"{event.files_done}/{event.files_total} files · {event.speed_mbps:.0f} MB/s · "
                  f"{event.current_file}", last=event.files_done == event.files_total)

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


class ProgressRelay:
    """Turns `ProgressEvent`s (on the worker thread) into bar updates and a status line."""

    def __init__(self, bar: tqdm[Any], status: widgets.HTML) -> None:
        self.bar, self.status = bar, status
        self.done = 0
        self.shown = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        if event.bytes_total != self.bar.total:
            self.bar.total = event.bytes_total
        self.bar.update(event.bytes_done - self.done)
        self.done = event.bytes_done
        now = time.monotonic()
        if now - self.shown >= STATUS_INTERVAL or event.files_done == event.files_total:
            self.shown = now
            set_traits(self.status, value=message_html(
                f"{event.files_done}/{event.files_total} files · {event.speed_mbps:.0f} MB/s · "
                f"{event.current_file}"
            ))

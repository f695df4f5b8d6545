"""Small helpers shared by the widgets: messages, sizes, text lists, error wording."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal, TypeVar

import ipywidgets as widgets
from tqdm.notebook import tqdm

from workbench.errors import WorkbenchError
from workbench.evidence import ProgressEvent

log = logging.getLogger(__name__)

Kind = Literal["info", "ok", "warning", "error"]

_COLOURS: dict[Kind, str] = {
    "info": "#31708f",
    "ok": "#2e7d32",
    "warning": "#8a6d3b",
    "error": "#c62828",
}

F = TypeVar("F", bound=Callable[..., None])

STATUS_INTERVAL = 0.1
"""Seconds between two status-line updates from a worker (at most ~10 a second)."""


def message_html(text: str, kind: Kind = "info") -> str:
    """`text` escaped, in the colour of its kind, ready for an `HTML` widget."""
    if not text:
        return ""
    return (
        f'<span class="wb-message wb-{kind}" style="color:{_COLOURS[kind]}">'
        f"{html.escape(text)}</span>"
    )


def error_label() -> widgets.HTML:
    """An empty `HTML` widget for inline error text beside a field."""
    return widgets.HTML(value="", layout=widgets.Layout(margin="0 0 0 8px"))


def lines(text: str) -> list[str]:
    """Non-empty stripped lines of a text field (one path per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def describe(exc: BaseException) -> str:
    """A readable sentence for any failure: typed errors say it themselves, others get named."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return f"Unexpected {type(exc).__name__}: {exc}"


def reports_errors(show: Callable[[Any, str], None]) -> Callable[[F], F]:
    """Decorate a widget callback so any failure is shown via `show(self, text)`, not raised.

    Widget callbacks that raise print a traceback in the notebook's log; analysts must
    see a sentence instead.
    """

    def decorate(method: F) -> F:
        @wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
            try:
                method(self, *args, **kwargs)
            except Exception as exc:
                if not isinstance(exc, WorkbenchError):
                    log.exception("widget callback %s failed", method.__name__)
                show(self, describe(exc))

        return wrapper  # type: ignore[return-value]

    return decorate


def text_field(**kwargs: Any) -> widgets.Text:
    """A `Text` that syncs on Enter or when it loses focus, not on every key.

    Each change re-validates and may re-plan a copy (a walk of the sources): too much
    work for every keystroke.
    """
    return widgets.Text(continuous_update=False, **kwargs)


def text_area(**kwargs: Any) -> widgets.Textarea:
    """A `Textarea` that syncs when it loses focus (see `text_field`)."""
    return widgets.Textarea(continuous_update=False, **kwargs)


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

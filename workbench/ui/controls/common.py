"""Small helpers shared by the widgets: messages, sizes, text lists, error wording."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal, TypeVar

import ipywidgets as widgets

from workbench.errors import WorkbenchError

log = logging.getLogger(__name__)

Kind = Literal["info", "ok", "warning", "error"]

_COLOURS: dict[Kind, str] = {
    "info": "#31708f",
    "ok": "#2e7d32",
    "warning": "#8a6d3b",
    "error": "#c62828",
}

F = TypeVar("F", bound=Callable[..., None])

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


def show_picture(image: widgets.Image, data: bytes) -> None:
    """Show `data` in `image`; an empty one is hidden (a browser draws a broken icon)."""
    image.value = data
    image.layout.display = None if data else "none"


def picture(image_format: str, **layout: str) -> widgets.Image:
    """An `Image` hidden until `show_picture` gives it bytes."""
    return widgets.Image(format=image_format, layout={**layout, "display": "none"})


def text_field(**kwargs: Any) -> widgets.Text:
    """A `Text` that syncs on Enter or when it loses focus, not on every key.

    Each change re-validates and may re-plan a copy (a walk of the sources): too much
    work for every keystroke.
    """
    return widgets.Text(continuous_update=False, **kwargs)


def text_area(**kwargs: Any) -> widgets.Textarea:
    """A `Textarea` that syncs when it loses focus (see `text_field`)."""
    return widgets.Textarea(continuous_update=False, **kwargs)

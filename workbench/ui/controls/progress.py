"""Progress from a worker thread into widgets: trait assignments only, batched, throttled by
the shared relay (`workbench.relay`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from tqdm.notebook import tqdm

from workbench.relay import Relay
from workbench.ui.controls.common import message_html


def set_traits(widget: widgets.Widget, **traits: Any) -> None:
    """Assign several traits of one widget in one front-end message."""
    with widget.hold_sync():
        for name, value in traits.items():
            setattr(widget, name, value)


def bar_relay(bar: tqdm[Any], status: widgets.HTML) -> Relay:
    """The relay that moves a notebook `bar` and writes the `status` line."""
    return Relay(lambda: bar, lambda text: set_traits(status, value=message_html(text)))

"""`JobPanel`: the base of a panel whose long work runs on a worker thread.

Run starts the work off the kernel's thread (`.job` is its `Future`) so Cancel and the
progress bar stay live; the work and what shows its result only assign widget traits.
Every job returns its report, a cancelled one too (`outcome="cancelled"`): the panel shows
it, then says it was cancelled, the same way in every panel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

import ipywidgets as widgets
from pydantic import BaseModel
from tqdm.notebook import tqdm

from workbench.errors import WorkbenchError, is_kind
from workbench.events import CancelToken, was_cancelled
from workbench.relay import Relay
from workbench.ui.controls.common import Kind, describe, message_html
from workbench.ui.controls.progress import bar_relay, set_traits

log = logging.getLogger(__name__)

T = TypeVar("T")


BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {elapsed} elapsed, {remaining} left"
"""The bar says how far and how long only: sizes and the speed are the status line's and the
summary's (one size format, one speed in a panel)."""


class JobPanel(widgets.VBox):
    """Run / Cancel buttons, a message, a status line, a progress box and `.job`."""

    cancelled_text = "Cancelled: nothing half-written was kept, nothing unfinished is verified."
    """The message when the job's report says it was cancelled (`cancelled_message`)."""
    hints: ClassVar[dict[type[BaseModel], str]] = {}
    """What to do next in this panel, by the error's kind, added to its message."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop", disabled=True)
        self.message = widgets.HTML()
        self.status = widgets.HTML()
        self.progress = widgets.Box()
        """Holds the progress bar of the current run."""
        self.job: Future[Any] | None = None
        """The running (or last) work, None before the first run."""
        self._token: CancelToken | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"workbench-{name}")
        self.run_button.on_click(self._run)
        self.cancel_button.on_click(self._cancel)
        super().__init__(**kwargs)
        for part in ("run_button", "cancel_button", "message"):
            getattr(self, part).add_class(f"wb-{name}-{part.replace('_', '-')}")
        self.add_class(f"wb-{name}-panel")

    @property
    def running(self) -> bool:
        """True while the work runs."""
        return self.job is not None and not self.job.done()

    def say(self, text: str, kind: Kind = "info") -> None:
        """Show `text` as the panel's message."""
        self.message.value = message_html(text, kind)

    def new_bar(self, desc: str, **kwargs: Any) -> tuple[tqdm[Any], Relay]:
        """A fresh notebook bar (never displayed by itself) shown in `.progress`, and the
        relay that moves it and the status line."""
        bar: tqdm[Any] = tqdm(total=0, desc=desc, display=False, bar_format=BAR_FORMAT,
                              **kwargs)
        self.progress.children = (bar.container,)
        return bar, bar_relay(bar, self.status)

    def _run(self, _button: object = None) -> None:
        """Subclasses check their fields, then call `start`."""
        raise NotImplementedError

    def start(self, work: Callable[[CancelToken], T], show: Callable[[T], None],
              bar: tqdm[Any] | None = None) -> None:
        """Run `work(token)` on the worker thread, then `show(result)` there; a failure
        becomes the message."""
        self._token = token = CancelToken()
        set_traits(self.run_button, disabled=True)
        set_traits(self.cancel_button, disabled=False)
        self.status.value = ""
        self.job = self._executor.submit(self._work, work, show, bar, token)

    def _work(self, work: Callable[[CancelToken], T], show: Callable[[T], None],
              bar: tqdm[Any] | None, token: CancelToken) -> T | None:
        try:
            result = work(token)
            if bar is not None:
                bar.close()
            show(result)
            if was_cancelled(result):
                self.say(self.cancelled_message(result), "warning")
            return result
        except Exception as exc:
            if not isinstance(exc, WorkbenchError):
                log.exception("%s failed", type(self).__name__)
            if bar is not None:
                bar.close()
            hint = next((text for kind, text in self.hints.items() if is_kind(exc, kind)), None)
            self.say(describe(exc) + (f" ({hint})" if hint else ""), "error")
            return None
        finally:
            set_traits(self.run_button, disabled=False)
            set_traits(self.cancel_button, disabled=True)

    def cancelled_message(self, report: Any) -> str:
        """What a cancelled job's report is said to be (panels may count what was done)."""
        return self.cancelled_text

    def _cancel(self, _button: object = None) -> None:
        if self._token is not None and self.running:
            self._token.cancel()
            set_traits(self.cancel_button, disabled=True)
            self.say("Cancelling…", "warning")

    def outcome(self) -> str:
        """The last result in a few words, for the panel's repr (subclasses say more)."""
        report = getattr(self, "report", None)
        return "idle" if report is None else str(getattr(report, "outcome", "done"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {'running' if self.running else self.outcome()}>"

    def close(self) -> None:
        """Cancel running work, stop the worker thread and close the widget."""
        if self._token is not None:
            self._token.cancel()
        self._executor.shutdown(wait=False)
        super().close()

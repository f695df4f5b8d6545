"""`Background`: a panel's long work on one worker thread, with its Run and Cancel buttons.

The kernel handles no widget message while a handler runs, so the work (a copy, a footage
analysis) runs on a worker thread: Run is disabled and Cancel enabled while it runs, Cancel
sets the work's `CancelToken`, and `.job` is the `Future` tests and notebooks can wait on.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

import ipywidgets as widgets

from workbench.events import CancelToken

T = TypeVar("T")


def set_traits(widget: widgets.Widget, **traits: object) -> None:
    """Assign several traits of one widget in one front-end message."""
    with widget.hold_sync():
        for name, value in traits.items():
            setattr(widget, name, value)


class Background(Generic[T]):
    """Runs one piece of work at a time for a panel and keeps its buttons in step."""

    def __init__(self, run_button: widgets.Button, cancel_button: widgets.Button,
                 name: str) -> None:
        self.run_button, self.cancel_button = run_button, cancel_button
        self.job: Future[T] | None = None
        """The running (or last) work."""
        self.token: CancelToken | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    @property
    def running(self) -> bool:
        """Whether work is in progress."""
        return self.job is not None and not self.job.done()

    def start(self, work: Callable[[CancelToken], T]) -> Future[T]:
        """Run `work(token)` on the worker thread; the buttons come back when it ends."""
        self.token = token = CancelToken()
        set_traits(self.run_button, disabled=True)
        set_traits(self.cancel_button, disabled=False)

        def run() -> T:
            try:
                return work(token)
            finally:
                set_traits(self.run_button, disabled=False)
                set_traits(self.cancel_button, disabled=True)

        self.job = self._executor.submit(run)
        return self.job

    def cancel(self) -> bool:
        """Ask the running work to stop; False when nothing runs."""
        if self.token is None or not self.running:
            return False
        self.token.cancel()
        set_traits(self.cancel_button, disabled=True)
        return True

    def close(self) -> None:
        """Cancel the work and let the worker thread end."""
        if self.token is not None:
            self.token.cancel()
        self._executor.shutdown(wait=False)

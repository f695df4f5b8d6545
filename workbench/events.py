"""A tiny in-process event bus, the event names, the cancel token and how a long job ends.

Event names are `feature:event-name`. Handlers run synchronously on the emitting
thread (a copy's worker thread for `processing:progress`), so they must be cheap.
A handler that raises is logged and skipped: it never breaks the emitter.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Final, Literal, Protocol

log = logging.getLogger(__name__)

TEMPLATE_SAVED: Final = "template:saved"
TEMPLATE_DELETED: Final = "template:deleted"
PREFERENCES_SAVED: Final = "preferences:saved"
PROCESSING_PROGRESS: Final = "processing:progress"
PROCESSING_FINISHED: Final = "processing:finished"
BATCH_PROGRESS: Final = "batch:progress"
BATCH_FINISHED: Final = "batch:finished"
CASE_RECORD_CHANGED: Final = "evidence:record-changed"
"""A case folder's record changed (a copy, an audit, a footage analysis) or is about to be
packaged (an export): the payload is the case folder's `Path`; its printable report is brought
up to date."""

Handler = Callable[[Any], None]


class EventBus:
    """Named events to subscribed handlers; thread-safe subscribe, unsubscribe and emit."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._lock = threading.Lock()

    def subscribe(self, name: str, handler: Handler) -> Callable[[], None]:
        """Call `handler(payload)` on every `emit(name, ...)`; returns the unsubscribe."""
        with self._lock:
            self._handlers[name].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers[name]:
                    self._handlers[name].remove(handler)

        return unsubscribe

    def emit(self, name: str, payload: Any = None) -> None:
        """Deliver `payload` to each handler of `name`; a failing handler is logged, not raised."""
        with self._lock:
            handlers = list(self._handlers.get(name, ()))
        for handler in handlers:
            try:
                handler(payload)
            except Exception:
                log.exception("event handler %r failed on %s", handler, name)


bus = EventBus()
subscribe = bus.subscribe
emit = bus.emit


class CancelToken:
    """Asks running work to stop; work checks `.cancelled` between chunks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Request cancellation (idempotent, callable from any thread)."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once `cancel()` was called."""
        return self._event.is_set()

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled})"


Outcome = Literal["completed", "completed_with_errors", "cancelled"]
"""How a long job ended, the one contract of every job that takes a `CancelToken` (copy,
audit, probe, export, batch, fleet audit, playable copies, timeline): a cancel is never raised
out of the job; it returns its report with `outcome="cancelled"`, nothing half-written left
and nothing it did not finish reported verified."""


class JobReport(Protocol):
    """The report of a long job: how it ended."""

    @property
    def outcome(self) -> Outcome: ...


def was_cancelled(report: object) -> bool:
    """Whether `report` is a long job's report that says the job was cancelled."""
    return getattr(report, "outcome", None) == "cancelled"

"""A small pool of persistent worker processes for work on untrusted files.

Decoders are C code fed files nobody vouches for: a hostile or damaged clip can crash one or
hang it. Each file is therefore handled in a worker process (started once per analysis, with
the `forkserver` method where there is one, `spawn` elsewhere: never `fork`, which is unsafe
in a kernel that runs threads), one file at a time, under a time limit. A worker that dies
yields `Crashed` for its file and one that overruns yields `TimedOut` (it is killed); either
way a fresh worker takes its place and the batch goes on. `concurrent.futures`'
`ProcessPoolExecutor` cannot do this: one dead worker breaks the whole executor.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, NamedTuple, TypeVar

from workbench.events import CancelToken

A = TypeVar("A")
R = TypeVar("R")

DEFAULT_WORKERS = 2
"""Worker processes when none are asked for (never more than the CPUs)."""
POLL_SECONDS = 0.1
"""Longest wait between two looks at the cancel token."""
PRELOAD = ("workbench.media.decode.probe",)
"""Modules the fork server imports once, so each worker starts with PyAV loaded."""
START_SECONDS = 120.0
"""How long a new worker may take to say it is ready (a loaded machine, a slow import)."""
READY = "ready"
"""A new worker's first message."""
UNGUARDED_MAIN = (
    "a worker process exited (code {code}) before it was ready. A script that probes media "
    "must start its work under `if __name__ == \"__main__\":`, since every worker process "
    "imports the main module"
)
"""Why workers die at start, almost always."""


class WorkerStartError(Exception):
    """A worker process could not start (it died or did not answer before it was ready)."""


class Crashed(NamedTuple):
    """The worker died while it held the item (a decoder crash, or it was killed)."""

    exit_code: int | None
    signal: str | None


class TimedOut(NamedTuple):
    """The item took longer than the time limit; its worker was killed."""

    seconds: float


class Failed(NamedTuple):
    """The task raised an exception (a bug in the task, not a property of the file)."""

    detail: str


Failure = Crashed | TimedOut | Failed
"""Why an item has no result."""


def context() -> BaseContext:
    """`forkserver` (PyAV preloaded in the server) where available, else `spawn`."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        forkserver = multiprocessing.get_context("forkserver")
        forkserver.set_forkserver_preload(list(PRELOAD))
        return forkserver
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, task: Callable[[Any], Any]) -> None:
    """A worker's loop: say it is ready, then receive `(index, item)` and send
    `(index, ok, result or detail)` until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn.send(READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        try:
            reply: tuple[int, bool, Any] = (index, True, task(item))
        except Exception as exc:
            reply = (index, False, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result that does not pickle
            conn.send((index, False, f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    index: int | None = None
    deadline: float = field(default=0.0)
    usable: bool = True


class WorkerPool(Generic[A, R]):
    """`workers` persistent processes running `task` (a module-level function) on items.

    Use as a context manager, or call `close()`: the processes live until then.
    """

    def __init__(self, task: Callable[[A], R], *, workers: int | None = None,
                 timeout: float = 30.0) -> None:
        self.task = task
        self.size = max(1, min(workers or DEFAULT_WORKERS, os.cpu_count() or 1))
        self.timeout = timeout
        self.started = 0
        """Worker processes started so far (replacements included)."""
        self._context = context()
        self._idle: list[_Worker] = []

    def __enter__(self) -> WorkerPool[A, R]:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def map(self, items: Sequence[A], cancel: CancelToken | None = None
            ) -> Iterator[tuple[int, R | Failure]]:
        """(index, result or failure) for each item, in completion order. Stops early when
        `cancel` is cancelled (the items in flight are dropped, their workers stopped)."""
        pending = deque(range(len(items)))
        busy: list[_Worker] = []
        try:
            while pending or busy:
                if cancel is not None and cancel.cancelled:
                    return
                while pending and len(busy) < self.size:
                    missing = min(self.size - len(busy), len(pending)) - len(self._idle)
                    worker = self._idle.pop() if self._idle else self._start(missing)
                    index = pending.popleft()
                    worker.index, worker.deadline = index, time.monotonic() + self.timeout
                    worker.conn.send((index, items[index]))
                    busy.append(worker)
                yield from self._collect(busy)
        finally:
            for worker in busy:  # cancelled (or the caller stopped iterating) mid-item
                self._stop(worker)

    def _collect(self, busy: list[_Worker]) -> Iterator[tuple[int, R | Failure]]:
        now = time.monotonic()
        wait = max(0.0, min(POLL_SECONDS, *(worker.deadline - now for worker in busy)))
        handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(multiprocessing.connection.wait(handles, timeout=wait))
        now = time.monotonic()
        for worker in list(busy):
            index = worker.index
            assert index is not None
            outcome: R | Failure | None = None
            if worker.conn in ready:
                outcome = self._receive(worker)
            elif worker.process.sentinel in ready:
                outcome = self._crashed(worker)
            elif now > worker.deadline:
                self._stop(worker)
                outcome = TimedOut(self.timeout)
            if outcome is None:
                continue
            busy.remove(worker)
            if worker.usable:
                worker.index = None
                self._idle.append(worker)
            yield index, outcome

    def _receive(self, worker: _Worker) -> R | Failure:
        try:
            _index, ok, value = worker.conn.recv()
        except (EOFError, OSError):
            return self._crashed(worker)
        return value if ok else Failed(str(value))

    def _crashed(self, worker: _Worker) -> Crashed:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        name = None
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                name = signal.Signals(-code).name
        self._discard(worker)
        return Crashed(code, name)

    def _start(self, count: int = 1) -> _Worker:
        """`count` new workers started at once, each back once it said it is ready (the
        first is returned, the others wait idle); `WorkerStartError` if one never does."""
        starting = [self._spawn() for _ in range(count)]
        for worker in starting:
            self._await_ready(worker, starting)
        self._idle.extend(starting[1:])
        return starting[0]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, self.task), daemon=True, name="workbench-media")
        process.start()
        child.close()
        self.started += 1
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker, starting: list[_Worker]) -> None:
        ready = multiprocessing.connection.wait([worker.conn, worker.process.sentinel],
                                                START_SECONDS)
        try:
            if worker.conn in ready and worker.conn.recv() == READY:
                return
        except (EOFError, OSError):
            pass
        code = None
        for other in starting:
            other.process.kill()
            other.process.join(timeout=5)
            code = worker.process.exitcode if other is worker else code
            self._discard(other)
        raise WorkerStartError(UNGUARDED_MAIN.format(code=code) if ready else
                               f"a worker process did not start in {START_SECONDS:g} s")

    def _stop(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        self._discard(worker)

    @staticmethod
    def _discard(worker: _Worker) -> None:
        worker.usable = False
        worker.conn.close()
        with contextlib.suppress(ValueError):
            worker.process.close()

    def close(self) -> None:
        """Ask the idle workers to finish, then make sure they did."""
        for worker in self._idle:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self._idle:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=2)
            self._discard(worker)
        self._idle.clear()


__all__ = [
    "Crashed", "Failed", "Failure", "TimedOut", "WorkerPool", "WorkerStartError", "context",
]

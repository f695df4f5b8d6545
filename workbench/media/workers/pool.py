"""A small pool of persistent worker processes for work on untrusted files.

Decoders are C code fed files nobody vouches for: a hostile or damaged clip can crash one or
hang it. Each file is therefore handled in a worker process, one file at a time, under a time
limit. A worker that dies yields `Crashed` for its file and one that overruns yields
`TimedOut` (it is killed); either way a fresh worker takes its place and the batch goes on.
`concurrent.futures`' `ProcessPoolExecutor` cannot do this: one dead worker breaks the whole
executor.

Workers are fresh interpreters started on `worker.py` over a pipe (never `fork`, unsafe in a
kernel that runs threads, and never `multiprocessing`'s spawn or forkserver, which import
the caller's `__main__`: a script without `if __name__ == "__main__":` would run again in
every worker). A task is a module-level function named by its module and name; its items and
results are pickled. A worker imports only its task's module (see `worker.py`), so it is
ready in a fraction of the time the whole workbench takes to import.

`shared_pool()` keeps one pool per task warm between calls (a notebook's next analysis finds
its workers ready) and closes its workers after `IDLE_SECONDS` unused.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing.connection
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Generic, NamedTuple, NoReturn, TypeVar

from workbench.events import CancelToken

A = TypeVar("A")
R = TypeVar("R")

DEFAULT_WORKERS = 2
"""Worker processes when none are asked for (never more than the CPUs)."""
QUEUE = 2
"""Items sent to a worker at once: the one it works on and the next."""
POLL_SECONDS = 0.1
"""Longest wait between two looks at the cancel token."""
START_SECONDS = 120.0
"""How long a new worker may take to say it is ready (a loaded machine, a slow import)."""
IDLE_SECONDS = 300.0
"""How long a shared pool's workers stay warm unused before they are closed."""
READY = "ready"
"""A new worker's first message (the same constant as `worker.READY`)."""
WORKER = Path(__file__).with_name("worker.py")
"""The file every worker process runs."""
BOOTSTRAP = (
    "import sys, importlib.util as u; s = u.spec_from_file_location('workbench_worker', "
    "sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); "
    "m.serve(m.connection(sys.argv[2]))"
)
"""`python -c` code that runs `worker.py` by its path (as a script it would put its own
folder first on `sys.path`, where `types.py` hides the standard library's)."""

Task = Callable[[A], R] | str
"""A module-level function, or its name as `"package.module:function"`."""


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


def task_name(task: Task[Any, Any]) -> tuple[str, str]:
    """(module, function) of a task; `ValueError` for one a worker cannot import."""
    if isinstance(task, str):
        module, _, function = task.partition(":")
    else:
        module, function = task.__module__, task.__qualname__
    if not module or not function or "." in function or "<" in function:
        raise ValueError(f"a worker task must be a module-level function, not {task!r}")
    if module == "__main__":
        raise ValueError("a worker task must live in an importable module, not in __main__")
    return module, function


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    ready: bool = False
    queue: deque[int] = field(default_factory=deque)
    """Items sent, in the order the worker takes them (the first is the one it is on)."""
    deadline: float = field(default=0.0)
    usable: bool = True


class WorkerPool(Generic[A, R]):
    """`workers` persistent processes running `task` on items.

    Use as a context manager, or call `close()`: the processes live until then. `prestart()`
    starts them without waiting (the caller lists its files meanwhile).
    """

    def __init__(self, task: Task[A, R], *, workers: int | None = None,
                 timeout: float = 30.0) -> None:
        self.module, self.function = task_name(task)
        self.size = max(1, min(workers or DEFAULT_WORKERS, os.cpu_count() or 1))
        self.timeout = timeout
        self.started = 0
        """Worker processes started so far (replacements included)."""
        self._idle: list[_Worker] = []
        self._moved = 0.0
        """When the work in flight last said it moved (`progressed`), monotonic seconds."""

    def __enter__(self) -> WorkerPool[A, R]:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def prestart(self) -> None:
        """Start the missing workers; they get ready while the caller does other work."""
        for _ in range(self.size - len(self._idle)):
            self._idle.append(self._spawn())

    def map(self, items: Sequence[A], cancel: CancelToken | None = None
            ) -> Iterator[tuple[int, R | Failure]]:
        """(index, result or failure) for each item, in completion order. Stops early when
        `cancel` is cancelled (the items in flight are dropped, their workers stopped)."""
        pending = deque(range(len(items)))
        busy: list[_Worker] = []
        if len(items) > len(self._idle):
            for _ in range(min(self.size, len(items)) - len(self._idle)):
                self._idle.append(self._spawn())
        try:
            while pending or busy:
                if cancel is not None and cancel.cancelled:
                    return
                self._dispatch(items, pending, busy)
                yield from self._collect(busy, pending)
        finally:
            for worker in busy:  # cancelled (or the caller stopped iterating) mid-item
                worker.queue.clear()
                self._stop(worker)

    def progressed(self) -> None:
        """The work in flight moved (a task's own progress report, such as a frame counter):
        the time limit of every busy worker starts again, so `timeout` bounds a stall, not a
        long task. Safe to call from another thread."""
        self._moved = time.monotonic()

    def _overdue(self, worker: _Worker) -> bool:
        return time.monotonic() > max(worker.deadline, self._moved + self.timeout)

    def _dispatch(self, items: Sequence[A], pending: deque[int], busy: list[_Worker]) -> None:
        """Give every ready worker up to `QUEUE` items (the next waits in its pipe while it
        works on the first, so no worker idles on a round trip). A worker still starting joins
        once it is ready, the others working meanwhile; only with none busy is one awaited."""
        while pending and len(busy) < self.size:
            worker = self._take(wait=not busy)
            if worker is None:
                break
            busy.append(worker)
        for worker in list(busy):
            while pending and len(worker.queue) < QUEUE:
                index = pending.popleft()
                try:
                    worker.conn.send((index, items[index]))
                except OSError:  # it died before it took the item: nothing is lost
                    pending.appendleft(index)
                    self._requeue(worker, pending, busy)
                    self._stop(worker)
                    break
                if not worker.queue:
                    worker.deadline = time.monotonic() + self.timeout
                worker.queue.append(index)

    def _take(self, *, wait: bool) -> _Worker | None:
        """An idle worker that is ready, a new one started when none is idle. When none is
        ready yet: with `wait`, the first of the starting ones to be ready; else None."""
        if not self._idle:
            self._idle.append(self._spawn())
        if not any(worker.ready for worker in self._idle):
            starting = {worker.conn: worker for worker in self._idle}
            said = multiprocessing.connection.wait(list(starting), START_SECONDS if wait else 0)
            if wait and not said:
                self._failed_start(list(starting.values()),
                                   f"a worker process did not start in {START_SECONDS:g} s")
            for conn in said:
                self._hello(starting[conn])  # type: ignore[index]
        ready = [worker for worker in self._idle if worker.ready]
        if not ready:
            return None
        self._idle.remove(ready[0])
        return ready[0]

    def _collect(self, busy: list[_Worker], pending: deque[int]
                 ) -> Iterator[tuple[int, R | Failure]]:
        """The answers that arrived: a crash or a timeout costs the item the worker was on
        (the first of its queue); the items queued behind it go back to `pending`."""
        now = time.monotonic()
        wait = max(0.0, min([POLL_SECONDS, *(worker.deadline - now for worker in busy)]))
        ready = set(multiprocessing.connection.wait([w.conn for w in busy], timeout=wait))
        for worker in list(busy):
            while worker.queue:
                index = worker.queue[0]
                outcome: R | Failure | None = None
                if worker.conn in ready and worker.conn.poll():  # an answer, or a death
                    outcome = self._receive(worker)
                elif self._overdue(worker):
                    self._stop(worker)
                    outcome = TimedOut(self.timeout)
                if outcome is None:
                    break
                worker.queue.popleft()
                worker.deadline = time.monotonic() + self.timeout
                if not worker.usable:
                    self._requeue(worker, pending, busy)
                yield index, outcome
            if worker.usable and not worker.queue and worker in busy:
                busy.remove(worker)
                self._idle.append(worker)

    @staticmethod
    def _requeue(worker: _Worker, pending: deque[int], busy: list[_Worker]) -> None:
        """A lost worker's waiting items back to the front of `pending`."""
        pending.extendleft(reversed(worker.queue))
        worker.queue.clear()
        if worker in busy:
            busy.remove(worker)

    def _receive(self, worker: _Worker) -> R | Failure:
        try:
            _index, ok, value = worker.conn.recv()
        except (EOFError, OSError):
            return self._crashed(worker)
        return value if ok else Failed(str(value))

    def _crashed(self, worker: _Worker) -> Crashed:
        try:
            code: int | None = worker.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # it closed its end but lives on: stop it
            self._stop(worker)
            code = worker.process.returncode
        name = None
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                name = signal.Signals(-code).name
        self._discard(worker)
        return Crashed(code, name)

    def _spawn(self) -> _Worker:
        parent, child = multiprocessing.connection.Pipe(duplex=True)
        handle = child.fileno()
        options: dict[str, Any] = {}
        if sys.platform == "win32":
            os.set_handle_inheritable(handle, True)
            options["startupinfo"] = subprocess.STARTUPINFO(  # type: ignore[attr-defined]
                lpAttributeList={"handle_list": [handle]})
        else:
            options["pass_fds"] = (handle,)
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", BOOTSTRAP, str(WORKER), str(handle)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, **options)
        except OSError as exc:
            parent.close()
            raise WorkerStartError(f"a worker process could not start: {exc}") from None
        finally:
            child.close()
        self.started += 1
        parent.send((sys.path, self.module, self.function))
        return _Worker(process, parent)

    def _hello(self, worker: _Worker) -> None:
        """A starting worker's first message, which has arrived: it is ready, or it is gone."""
        try:
            if worker.conn.recv() == READY:
                worker.ready = True
                return
        except (EOFError, OSError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):  # its own exit code, not our kill
            worker.process.wait(timeout=5)
        self._failed_start([worker], "a worker process exited (code {code}) before it was ready")

    def _failed_start(self, workers: list[_Worker], message: str) -> NoReturn:
        """Stop `workers`, which did not start, and raise `message` (with the first's `code`)."""
        for worker in workers:
            self._idle.remove(worker)
            self._stop(worker)
        raise WorkerStartError(message.format(code=workers[0].process.returncode))

    def _stop(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout=5)
        self._discard(worker)

    @staticmethod
    def _discard(worker: _Worker) -> None:
        worker.usable = False
        worker.conn.close()

    def close(self) -> None:
        """Ask the idle workers to finish, then make sure they did."""
        for worker in self._idle:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self._idle:
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(timeout=2)
            self._discard(worker)
        self._idle.clear()


class _Shared:
    """One warm pool per (task, size), lent to one caller at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pools: dict[tuple[str, str, int], tuple[WorkerPool[Any, Any], threading.Lock]] = {}
        self.timers: dict[tuple[str, str, int], threading.Timer] = {}

    @contextlib.contextmanager
    def borrow(self, task: Task[A, R], workers: int | None,
               timeout: float) -> Iterator[WorkerPool[A, R]]:
        pool: WorkerPool[A, R] = WorkerPool(task, workers=workers, timeout=timeout)
        key = (pool.module, pool.function, pool.size)
        with self.lock:
            shared, in_use = self.pools.setdefault(key, (pool, threading.Lock()))
            if key in self.timers:
                self.timers.pop(key).cancel()
        if not in_use.acquire(blocking=False):  # another thread probes: a pool of its own
            with pool:
                yield pool
            return
        try:
            shared.timeout = timeout
            yield shared
        finally:
            in_use.release()
            self._close_later(key)

    def _close_later(self, key: tuple[str, str, int]) -> None:
        timer = threading.Timer(IDLE_SECONDS, self._close_idle, (key,))
        timer.daemon = True
        with self.lock:
            if key in self.timers:
                self.timers.pop(key).cancel()
            self.timers[key] = timer
        timer.start()

    def _close_idle(self, key: tuple[str, str, int]) -> None:
        with self.lock:
            pool, in_use = self.pools[key]
            if not in_use.acquire(blocking=False):
                return
        try:
            pool.close()
        finally:
            in_use.release()

    def close_all(self) -> None:
        """Close every shared pool's workers (at exit)."""
        with self.lock:
            for timer in self.timers.values():
                timer.cancel()
            self.timers.clear()
            pools = list(self.pools.values())
        for pool, in_use in pools:
            if in_use.acquire(blocking=False):
                pool.close()
                in_use.release()


_SHARED = _Shared()
atexit.register(_SHARED.close_all)


def shared_pool(task: Task[A, R], *, workers: int | None = None,
                timeout: float = 30.0) -> contextlib.AbstractContextManager[WorkerPool[A, R]]:
    """A warm pool for `task` (started on first use, kept `IDLE_SECONDS` after each use),
    as a context manager. A second caller while it is lent gets a pool of its own."""
    return _SHARED.borrow(task, workers, timeout)


def close_shared_pools() -> None:
    """Stop the workers of every shared pool now (they start again on next use)."""
    _SHARED.close_all()


__all__ = [
    "Crashed", "Failed", "Failure", "Task", "TimedOut", "WorkerPool", "WorkerStartError",
    "close_shared_pools", "shared_pool", "task_name",
]

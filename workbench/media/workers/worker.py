"""The entry point of one worker process of `workbench.media.workers.pool`.

A worker is a fresh interpreter started on this file by `pool.BOOTSTRAP` (never a fork,
never the caller's `__main__`: a plain script, a notebook, `python -c` all start the same
worker). It talks to
its pool over one connection whose descriptor (a handle on Windows) it is given on the
command line. It imports only the module of its task: the packages on the way
(`workbench`, `workbench.media`, ...) are entered without running their `__init__`, so a
probe worker loads PyAV and the probe, not the whole workbench. A package the task imports
from elsewhere (`workbench.hashing.platform`) runs its `__init__` as usual.

Protocol (pickled messages): the pool sends `(sys.path, module, function)`; the worker
imports the task and answers `READY`; then each `(index, item)` is answered
`(index, ok, result or detail)` until `None` or the end of the connection.

This module imports nothing of the workbench: it must run before any of it is imported.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import signal
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from multiprocessing.connection import Connection
from types import ModuleType
from typing import Any

READY = "ready"
"""A new worker's first message, once its task is imported."""
PACKAGE = "workbench"
"""The package whose `__init__` modules on the way to the task a worker does not run."""


class _BarePackage(importlib.abc.Loader):
    """Loads a package as its folder only (its submodules import; its `__init__` never runs)."""

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        return None


class _LeanImports(importlib.abc.MetaPathFinder):
    """Finds the packages on the way to the task (`bare`) as bare folders; every other module
    and package as usual."""

    def __init__(self, bare: frozenset[str]) -> None:
        self.bare = bare

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name not in self.bare:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.submodule_search_locations is not None:
            spec.loader = _BarePackage()
        return spec


def load_task(module: str, function: str) -> Callable[[Any], Any]:
    """`function` of `module`, imported with the workbench packages on its way left bare (a
    package it imports from elsewhere runs its `__init__` as usual)."""
    parts = module.split(".")
    if parts[0] == PACKAGE:
        bare = frozenset(".".join(parts[:end]) for end in range(1, len(parts)))
        sys.meta_path.insert(0, _LeanImports(bare))
    task: Callable[[Any], Any] = getattr(importlib.import_module(module), function)
    return task


def serve(conn: Connection) -> None:
    """Import the task the pool names, say ready, then run items until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pool's to handle
    try:
        path, module, function = conn.recv()
    except (EOFError, OSError):
        return
    sys.path[:] = path
    task = load_task(module, function)
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


def connection(argument: str) -> Connection:
    """The connection to the pool from the descriptor (or Windows handle) it passed."""
    if sys.platform == "win32":
        from multiprocessing.connection import PipeConnection  # type: ignore[attr-defined]

        return PipeConnection(int(argument))  # type: ignore[no-any-return]
    return Connection(int(argument))

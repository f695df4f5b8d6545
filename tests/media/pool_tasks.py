"""Tasks for the worker-pool tests: they run inside the workers (importable by name)."""

from __future__ import annotations

import ctypes
import os
import time


def behave(item: str) -> tuple[str, int]:
    """Do what `item` says: `ok`, `nap` (3 s), `sleep`, `segfault`, `raise`, `exit`; return
    (item, pid)."""
    if item == "nap":
        time.sleep(3)
    elif item == "sleep":
        time.sleep(60)
    elif item == "segfault":
        ctypes.string_at(0)  # a real SIGSEGV, as a decoder bug would cause
    elif item == "raise":
        raise ValueError("a bug in the task")
    elif item == "exit":
        os._exit(3)
    return item, os.getpid()

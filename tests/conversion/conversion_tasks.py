"""Worker tasks for the conversion fault tests (run inside the workers, importable by name):
each writes its partial first, as a real remux does, then crashes or hangs."""

from __future__ import annotations

import ctypes
import time
from pathlib import Path

from workbench.conversion.remux.job import RemuxJob, RemuxResult


def crash(job: RemuxJob) -> RemuxResult:
    """A decoder crash mid-file: SIGSEGV after the partial has bytes in it."""
    Path(job.partial).write_bytes(b"half a file")
    ctypes.string_at(0)
    raise AssertionError("unreachable")


def hang(job: RemuxJob) -> RemuxResult:
    """A decoder that never returns, mid-file."""
    Path(job.partial).write_bytes(b"half a file")
    time.sleep(600)
    raise AssertionError("unreachable")

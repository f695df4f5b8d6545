"""Worker tasks for the conversion fault tests (run inside the workers, importable by name):
each writes its partial first, as a real remux does, then crashes or hangs."""

from __future__ import annotations

import ctypes
import time
from pathlib import Path

from workbench.conversion.remux.job import RemuxJob, RemuxResult


def crash(jobs: tuple[RemuxJob, ...]) -> tuple[RemuxResult, ...]:
    """A decoder crash mid-file: SIGSEGV after the partial has bytes in it."""
    Path(jobs[0].partial).write_bytes(b"half a file")
    ctypes.string_at(0)
    raise AssertionError("unreachable")


def hang(jobs: tuple[RemuxJob, ...]) -> tuple[RemuxResult, ...]:
    """A decoder that never returns, mid-file."""
    Path(jobs[0].partial).write_bytes(b"half a file")
    time.sleep(600)
    raise AssertionError("unreachable")


def crash_on_dav(jobs: tuple[RemuxJob, ...]) -> tuple[RemuxResult, ...]:
    """A batch holding the sample's first `.dav` crashes its worker; any other is made."""
    from workbench.conversion.remux.worker import remux_batch

    if any(job.clips[0].path.endswith("ch01_20261120_140000_143000.dav") for job in jobs):
        return crash(jobs)
    return remux_batch(jobs)

"""Reading a just-written file back from the disk, not from the page cache.

`drop_cache` is the seam tests use to change a file between its write and its read-back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path

from workbench.events import CancelToken
from workbench.hashing.stream import Buffers, Sink, stream


def drop_cache(fd: int, path: Path) -> None:
    """Evict `path`'s clean pages so the read-back comes from the disk (a test seam)."""
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)  # larger read-ahead


def read_back(
    path: Path,
    buffers: Buffers,
    sinks: Sequence[Sink],
    *,
    lanes: Executor | None = None,
    cancel: CancelToken | None = None,
    on_chunk: Callable[[int], None] = lambda n: None,
) -> int:
    """Drop `path` from the page cache and stream it from disk into `sinks`."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        drop_cache(fd, path)
        return stream(fd, buffers, sinks, lanes=lanes, cancel=cancel, on_chunk=on_chunk)
    finally:
        os.close(fd)

"""Reading a just-written file back from the disk, not from the page cache.

`open_cold` is the seam tests use to change a file between its write and its read-back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path

from workbench.events import CancelToken
from workbench.hashing import platform
from workbench.hashing.platform import FileSource
from workbench.hashing.stream import Buffers, Sink, stream


def open_cold(path: Path) -> FileSource:
    """`path` opened so that its bytes come from the device (Linux: its pages evicted first;
    macOS: `F_NOCACHE`; Windows: `FILE_FLAG_NO_BUFFERING`); `cache_free` says if it could."""
    return platform.SYSTEM.open_readback(path)


def read_back(
    path: Path,
    buffers: Buffers,
    sinks: Sequence[Sink],
    *,
    lanes: Executor | None = None,
    cancel: CancelToken | None = None,
    on_chunk: Callable[[int], None] = lambda n: None,
) -> int:
    """Stream `path` from the device (not the page cache, where the OS allows) into `sinks`."""
    source = open_cold(path)
    try:
        return stream(source, buffers, sinks, lanes=lanes, cancel=cancel, on_chunk=on_chunk)
    finally:
        source.close()

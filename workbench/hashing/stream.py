"""Reading a file once in large chunks and feeding every chunk to several sinks at once."""

from __future__ import annotations

import mmap
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from functools import partial

from workbench.errors import Cancelled, HashingError
from workbench.events import CancelToken
from workbench.hashing import platform
from workbench.hashing.platform import FileSource

CHUNK_SIZE = 8 << 20
"""Bytes read per chunk; two buffers of this size per worker thread."""

Sink = Callable[[memoryview], object]
"""Something fed every chunk of a file: a digest's update, a destination's writer."""
Buffers = tuple[memoryview, memoryview]
"""Two reusable chunk buffers: one is read into while the other is hashed and written."""


def new_buffers(size: int = CHUNK_SIZE) -> Buffers:
    """Two chunk buffers in anonymous memory (pages become resident only when used)."""
    return (memoryview(mmap.mmap(-1, size)), memoryview(mmap.mmap(-1, size)))


def stream(
    source: int | FileSource,
    buffers: Buffers,
    sinks: Sequence[Sink],
    *,
    lanes: Executor | None = None,
    cancel: CancelToken | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    on_chunk: Callable[[int], None] = lambda n: None,
    limit: int | None = None,
) -> int:
    """Read `source` (a descriptor or an opened source) to its end (or `limit` bytes), feeding
    each chunk to every sink; returns the bytes read. A `limit` keeps a file that grows while
    it is read from being endless.

    With `lanes`, the sinks of one chunk run in parallel while the next chunk is read
    into the other buffer; without, everything runs on the calling thread. A cancel
    raises `HashingError(Cancelled)` within one chunk, after in-flight sinks finish.
    """
    read_into: Callable[[memoryview], int] = (
        partial(platform.SYSTEM.readinto, source) if isinstance(source, int) else source.readinto
    )
    views = buffers
    pending: list[Future[object]] = []
    total, turn = 0, 0
    try:
        while keep_going():
            if cancel is not None and cancel.cancelled:
                raise HashingError(Cancelled())
            room = views[turn] if limit is None else views[turn][: max(limit - total, 0)]
            count = read_into(room) if room else 0
            _wait(pending)
            if count == 0:
                break
            chunk = views[turn][:count]
            if lanes is None:
                for sink in sinks:
                    sink(chunk)
            else:
                pending = [lanes.submit(sink, chunk) for sink in sinks]
            total += count
            on_chunk(count)
            turn ^= 1
    finally:
        _wait(pending)
    return total


def _wait(pending: list[Future[object]]) -> None:
    """Wait for every future (all of them, even if one fails), then re-raise the first error."""
    errors = [exc for future in pending if (exc := future.exception()) is not None]
    pending.clear()
    if errors:
        raise errors[0]

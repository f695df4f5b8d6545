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
"""Bytes read per chunk."""
DEPTH = 3
"""Chunk buffers per reader: one is read into while the chunks in the others are hashed and
written, so a slow sink (sha512) lags behind the read by up to two chunks instead of holding
up every chunk."""

Sink = Callable[[memoryview], object]
"""Something fed every chunk of a file: a digest's update, a destination's writer."""
Buffers = tuple[memoryview, ...]
"""`DEPTH` reusable chunk buffers, used in turn."""


def new_buffers(size: int = CHUNK_SIZE) -> Buffers:
    """`DEPTH` chunk buffers in anonymous memory (pages become resident only when used)."""
    return tuple(memoryview(mmap.mmap(-1, size)) for _ in range(DEPTH))


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

    With `lanes` (best with a thread per sink; any number is safe, as a sink's work on a
    chunk waits only for work submitted before it), the sinks run in parallel while the next
    chunks are read into the other buffers; each sink still takes the chunks one at a time, in
    order. A buffer is read into again only once every sink is done with it. Without `lanes`,
    everything runs on the calling thread. A cancel raises `HashingError(Cancelled)` within one
    chunk, after in-flight sinks finish.
    """
    read_into: Callable[[memoryview], int] = (
        partial(platform.SYSTEM.readinto, source) if isinstance(source, int) else source.readinto
    )
    using: list[list[Future[object]]] = [[] for _ in buffers]
    """The sinks' work on each buffer's chunk."""
    last: list[Future[object] | None] = [None] * len(sinks)
    """Each sink's latest chunk, which its next one waits for."""
    total, turn = 0, 0
    try:
        while keep_going():
            if cancel is not None and cancel.cancelled:
                raise HashingError(Cancelled())
            _wait(using[turn])
            view = buffers[turn]
            room = view if limit is None else view[: max(limit - total, 0)]
            count = read_into(room) if room else 0
            if count == 0:
                break
            chunk = view[:count]
            if lanes is None:
                for sink in sinks:
                    sink(chunk)
            else:
                using[turn] = [lanes.submit(_after, before, sink, chunk)
                               for before, sink in zip(last, sinks, strict=True)]
                last = list(using[turn])
            total += count
            on_chunk(count)
            turn = (turn + 1) % len(buffers)
    finally:
        _wait([future for pending in using for future in pending])
    return total


def _after(before: Future[object] | None, sink: Sink, chunk: memoryview) -> object:
    """`sink(chunk)` once the sink is done with its previous chunk (which was submitted earlier,
    so it already has a thread: the wait never starves the pool)."""
    if before is not None:
        before.result()
    return sink(chunk)


def _wait(pending: list[Future[object]]) -> None:
    """Wait for every future (all of them, even if one fails), then re-raise the first error."""
    errors = [exc for future in pending if (exc := future.exception()) is not None]
    pending.clear()
    if errors:
        raise errors[0]

"""Reading a big file back region by region while the rest of it is still being written.

Each completed region of a `.partial` is flushed to the device (`sync_file_range` with
WAIT_BEFORE|WRITE|WAIT_AFTER, which also reports its write-back errors), dropped from the
page cache, re-read from the device and hashed, on its destination's own lane, while the
source goes on filling the next regions. Only where the platform has `regions` (Linux);
elsewhere a file is read back whole after it is written.

`drop_range` is the seam tests use to change a region between its write and its read-back.
"""

from __future__ import annotations

import contextlib
import errno
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from pathlib import Path

import blake3

from workbench.hashing import platform
from workbench.hashing.platform import Regions
from workbench.hashing.stream import CHUNK_SIZE, Buffers, Sink, new_buffers, stream

REGION_SIZE = 32 << 20
"""Bytes flushed and read back at once: 1 GiB copied in 1.5 s with 32 MiB against 1.9 s
(16 MiB), 1.7 s (64 MiB), 2.4 s (128 MiB) and 2.6 s unstreamed (bench/probes/regions.py).
A multiple of the chunk (8 MiB), so no large folio of the page cache straddles two regions."""
AHEAD = 4
"""Regions a destination's write may run ahead of its read-back before the write waits
(4 was faster than 1 or 2 here: the read-back is the slower side and catches up at the end)."""

_local = threading.local()


def _buffers() -> Buffers:
    """This lane's read-back buffers (allocated on first use)."""
    buffers: Buffers | None = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = new_buffers(CHUNK_SIZE)
    return buffers


class _Region:
    """One region of a file as a source `stream` reads (without moving the file position)."""

    cache_free = True

    def __init__(self, regions: Regions, fd: int, offset: int, end: int) -> None:
        self.regions, self.fd, self.offset, self.end = regions, fd, offset, end

    def close(self) -> None:
        """Nothing to release: the descriptor is the partial writer's."""

    def readinto(self, view: memoryview) -> int:
        if self.offset >= self.end:
            return 0
        count = self.regions.read_at(self.fd, view[: min(len(view), self.end - self.offset)],
                                     self.offset)
        if count == 0:
            raise OSError(errno.EIO, f"the file ended before {self.end} bytes")
        self.offset += count
        return count


def drop_range(regions: Regions, fd: int, path: Path, offset: int, length: int) -> None:
    """Evict a flushed region of `path` so its read-back comes from the device (a seam)."""
    regions.drop(fd, offset, length)


class RegionCheck:
    """The read-back of one `.partial`, running behind its write on the destination's lane.

    `written` is told how far the write got and queues every region it completed; `end`
    queues the rest and the whole-file fsync (data and metadata); `result` waits for all of
    it and gives the blake3 of everything read back. The first failure stops the checks and
    is kept as `failure`: (`"write back"` or `"read back"`, the OSError).
    """

    def __init__(self, fd: int, path: Path, regions: Regions, lane: Executor,
                 sinks: Sequence[Sink] = (), sink_lanes: Executor | None = None) -> None:
        self.fd, self.path, self.regions, self.lane = fd, path, regions, lane
        self.sinks: list[Sink] = [self._update, *sinks]
        """What each chunk read back is fed to, in file order: the blake3, then `sinks`
        (on `sink_lanes` in parallel, while the next chunk is read)."""
        self.sink_lanes = sink_lanes
        self.region_size = REGION_SIZE
        self.failure: tuple[str, OSError] | None = None
        self._queued = 0
        self._pending: deque[Future[None]] = deque()
        self._digest = blake3.blake3()
        self._stopped = False

    def written(self, total: int) -> None:
        """The partial now holds `total` bytes: queue each region that is complete, and wait
        while the write is more than `AHEAD` regions in front of its read-back."""
        while total - self._queued >= self.region_size:
            self._queue(self._queued, self.region_size)
        while len(self._pending) > AHEAD:
            self._pending.popleft().result()

    def end(self, total: int) -> None:
        """The write is complete at `total` bytes: queue the last region and the fsync."""
        if total > self._queued:
            self._queue(self._queued, total - self._queued)
        self._pending.append(self.lane.submit(self._fsync))

    def result(self) -> str | None:
        """Wait for every queued check; the blake3 of the read-back, or None when something
        failed (see `failure`)."""
        self._wait()
        return None if self.failure else str(self._digest.hexdigest())

    def stop(self) -> None:
        """Cancel the checks not yet started and wait for the one running (before the
        partial's descriptor is closed)."""
        self._stopped = True
        for future in self._pending:
            future.cancel()
        self._wait()

    def _queue(self, offset: int, length: int) -> None:
        self._queued = offset + length
        with contextlib.suppress(OSError):  # the flush before its read-back reports it
            self.regions.start(self.fd, offset, length)  # the device starts on it at once
        self._pending.append(self.lane.submit(self._check, offset, length))

    def _wait(self) -> None:
        while self._pending:
            future = self._pending.popleft()
            if not future.cancelled():
                future.result()

    def _check(self, offset: int, length: int) -> None:
        if self._stopped or self.failure:
            return
        try:
            self.regions.flush(self.fd, offset, length)
            drop_range(self.regions, self.fd, self.path, offset, length)
        except OSError as exc:
            self.failure = ("write back", _at(exc, self.path, offset))
            return
        try:
            self._read(offset, length)
        except OSError as exc:
            self.failure = ("read back", _at(exc, self.path, offset))

    def _read(self, offset: int, length: int) -> None:
        region = _Region(self.regions, self.fd, offset, offset + length)
        stream(region, _buffers(), self.sinks, lanes=self.sink_lanes,
               keep_going=lambda: not self._stopped)
        self.regions.drop(self.fd, offset, length)  # the read-back's pages are not kept

    def _update(self, chunk: memoryview) -> None:
        self._digest.update(chunk)

    def _fsync(self) -> None:
        if self._stopped or self.failure:
            return
        try:
            platform.SYSTEM.fsync(self.fd)
        except OSError as exc:
            self.failure = ("write back", exc)


def _at(exc: OSError, path: Path, offset: int) -> OSError:
    """`exc` naming the file and the region it happened in."""
    detail = f"{exc.strerror or exc} (region at byte {offset})"
    return OSError(exc.errno, detail, str(path))

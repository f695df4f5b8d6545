"""Low-level file steps of a verified copy: stream, write `.partial`, sync, commit, read back.

Every step raises `OSError` (or `ProcessingError(Cancelled)`); the engine turns errors
into typed rows. `write_all` and `drop_cache` are the seams tests use to inject faults.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import mmap
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path

from workbench.errors import Cancelled, ProcessingError
from workbench.events import CancelToken

CHUNK_SIZE = 8 << 20
"""Bytes read per chunk; two buffers of this size per worker thread."""
PARTIAL_SUFFIX = ".partial"
"""Suffix of a file being written; renamed away only after a complete write."""

Sink = Callable[[memoryview], object]
"""Something fed every chunk of a file: a digest's update, a destination's writer."""
Buffers = tuple[memoryview, memoryview]
"""Two reusable chunk buffers: one is read into while the other is hashed and written."""

_OPEN_PARTIAL = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_RENAME_NOREPLACE = 1
_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None


def new_buffers(size: int = CHUNK_SIZE) -> Buffers:
    """Two chunk buffers in anonymous memory (pages become resident only when used)."""
    return (memoryview(mmap.mmap(-1, size)), memoryview(mmap.mmap(-1, size)))


def partial_path(final: Path) -> Path:
    """The `.partial` file written next to `final`."""
    return final.with_name(final.name + PARTIAL_SUFFIX)


def stream(
    fd: int,
    buffers: Buffers,
    sinks: Sequence[Sink],
    *,
    lanes: Executor | None = None,
    cancel: CancelToken | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    on_chunk: Callable[[int], None] = lambda n: None,
    limit: int | None = None,
) -> int:
    """Read `fd` to its end (or `limit` bytes), feeding each chunk to every sink; returns
    the bytes read. A `limit` keeps a file that grows while it is read from being endless.

    With `lanes`, the sinks of one chunk run in parallel while the next chunk is read
    into the other buffer; without, everything runs on the calling thread. A cancel
    raises `ProcessingError(Cancelled)` within one chunk, after in-flight sinks finish.
    """
    views = buffers
    pending: list[Future[object]] = []
    total, turn = 0, 0
    try:
        while keep_going():
            if cancel is not None and cancel.cancelled:
                raise ProcessingError(Cancelled())
            room = views[turn] if limit is None else views[turn][: max(limit - total, 0)]
            count = os.readv(fd, [room]) if room else 0
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


def write_all(fd: int, data: memoryview) -> None:
    """Write all of `data` to `fd` (a seam: tests replace it to inject write faults)."""
    while data:
        written = os.write(fd, data)
        data = data[written:]


def drop_cache(fd: int, path: Path) -> None:
    """Evict `path`'s clean pages so the read-back comes from the disk (a test seam)."""
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)  # larger read-ahead


class PartialWriter:
    """Writes one destination's `.partial`; a failure is kept (not raised) so the others go on."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.partial = partial_path(final)
        self.fd: int | None = None
        self.error: OSError | None = None
        self.operation = "create"

    @property
    def ok(self) -> bool:
        """True while the partial is open and nothing failed."""
        return self.fd is not None and self.error is None

    def open(self, known_folders: set[Path]) -> None:
        """Make the folders (unless known to exist) and create the `.partial`, exclusively."""
        try:
            if self.final.parent not in known_folders:
                self.final.parent.mkdir(parents=True, exist_ok=True)
                known_folders.add(self.final.parent)
            self.fd = os.open(self.partial, _OPEN_PARTIAL, 0o644)
        except OSError as exc:
            self.error = exc

    def feed(self, chunk: memoryview) -> None:
        """Append one chunk; on failure keep the error and remove the partial."""
        if not self.ok:
            return
        assert self.fd is not None
        try:
            write_all(self.fd, chunk)
        except OSError as exc:
            self.fail(exc, "write")

    def finish(self, atime_ns: int, mtime_ns: int) -> None:
        """Give the partial the source's times (before it is synced)."""
        if self.ok:
            assert self.fd is not None
            try:
                os.utime(self.fd, ns=(atime_ns, mtime_ns))
            except OSError as exc:
                self.fail(exc, "write")

    def sync(self) -> None:
        """fsync the partial (after a batch `syncfs` this only reports write-back errors)."""
        if self.ok:
            assert self.fd is not None
            try:
                os.fsync(self.fd)
            except OSError as exc:
                self.fail(exc, "write")

    def fail(self, exc: OSError, operation: str) -> None:
        """Record why this destination failed and remove its partial."""
        self.error, self.operation = exc, operation
        self.discard()

    def discard(self) -> None:
        """Close and remove the partial (it never holds evidence)."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()

    def close(self) -> None:
        """Close the partial's descriptor, if open."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def commit(partial: Path, final: Path) -> None:
    """Move `partial` to `final` without ever replacing a file (FileExistsError if one is there)."""
    try:
        os.link(partial, final)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOTSUP):
            raise
        _rename_noreplace(partial, final)  # file systems without hard links (FAT, exFAT)
        return
    partial.unlink()


def _rename_noreplace(source: Path, target: Path) -> None:
    if _libc is None or not hasattr(_libc, "renameat2"):
        raise OSError(errno.EOPNOTSUPP, "no-clobber rename is not available", str(target))
    at_fdcwd = -100
    result = _libc.renameat2(
        at_fdcwd, os.fsencode(source), at_fdcwd, os.fsencode(target), _RENAME_NOREPLACE
    )
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


def open_sync_point(folder: Path) -> int:
    """A descriptor on `folder`'s nearest existing ancestor, opened BEFORE a batch is written
    so that `sync_filesystem` reports every write-back error that happens after it."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))


def sync_filesystem(fd: int) -> None:
    """Flush the whole file system holding `fd` (one call per batch instead of one fsync per
    file); raises OSError if any write-back failed since `fd` was opened (Linux >= 5.8)."""
    if _libc is not None and hasattr(_libc, "syncfs"):
        if _libc.syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
    else:
        os.fsync(fd)  # no syncfs: the caller falls back to one fsync per file
        raise OSError(errno.ENOSYS, "syncfs is not available")


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

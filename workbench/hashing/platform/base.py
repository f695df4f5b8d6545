"""The platform seam's interface, and its portable implementation.

`Platform` uses only what Python's `os` module offers on every operating system, so it is
also what the OS-specific implementations fall back on: binary-mode opens (`O_BINARY`
where it exists, so Windows never translates CR/LF or stops at Ctrl-Z), reads straight
into the caller's buffer, `fsync`, and a no-clobber publish through a hard link. It cannot
drop a file from the page cache, so its read-backs say they are not cache-free.
Every call raises `OSError` on failure, with the errno of the operating system.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

Self = TypeVar("Self", bound="ClosingSource")

ReadInto = Callable[[int, memoryview], int]
"""Fills a buffer from a descriptor's current position; returns the bytes read (0 at end)."""


class FileSource(Protocol):
    """Something a file is read from chunk by chunk: an open file, a cold read-back."""

    cache_free: bool
    """True when the bytes come from the device, not from the page cache."""

    def readinto(self, view: memoryview, /) -> int:
        """Fill `view` from the current position; the bytes read, 0 at the end."""
        ...

    def close(self) -> None:
        """Release the file."""
        ...


class ClosingSource:
    """A source that closes itself at the end of a `with` block."""

    def close(self) -> None:
        """Release the file."""
        raise NotImplementedError

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


class FdSource(ClosingSource):
    """A file descriptor read through a platform's `readinto`."""

    def __init__(self, fd: int, read_into: ReadInto, *, cache_free: bool) -> None:
        self.fd = fd
        self.cache_free = cache_free
        self._read_into = read_into

    def readinto(self, view: memoryview, /) -> int:
        """Fill `view` from the descriptor; the bytes read, 0 at the end."""
        return self._read_into(self.fd, view)

    def close(self) -> None:
        """Close the descriptor."""
        os.close(self.fd)


class Regions(Protocol):
    """Write-back and read-back of one range of a file while the rest is still written.

    Only where the OS can flush a range to the device and drop it from the page cache
    (Linux `sync_file_range` + `posix_fadvise`); elsewhere a platform has no `regions`.
    """

    def start(self, fd: int, offset: int, length: int) -> None:
        """Start writing the range to the device, without waiting for it."""
        ...

    def flush(self, fd: int, offset: int, length: int) -> None:
        """Write the range to the device and wait until it is there (errors: OSError)."""
        ...

    def drop(self, fd: int, offset: int, length: int) -> None:
        """Evict the range's clean pages so that the next read of it comes from the device."""
        ...

    def read_at(self, fd: int, view: memoryview, offset: int) -> int:
        """Fill `view` from `offset` without moving the file position; the bytes read."""
        ...


def _flag(name: str) -> int:
    value: int = getattr(os, name, 0)
    return value


class Platform:
    """The portable implementation, and the interface every OS-specific one keeps."""

    name = "portable"
    """Which implementation this is: portable, linux, macos or windows."""

    def __init__(self) -> None:
        self.regions: Regions | None = None
        """Range write-back and read-back while a file is written, where the OS has them."""
        private = _flag("O_BINARY") | _flag("O_CLOEXEC") | _flag("O_NOINHERIT")
        self.read_flags = os.O_RDONLY | private
        """Flags of every open for reading."""
        self.new_flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | private
        """Flags of every new file: created exclusively, never an existing one."""
        self.append_flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | private
        """Flags of an append-only log."""
        self._times_by_fd = os.utime in os.supports_fd

    @property
    def cache_free(self) -> bool:
        """Whether `open_readback` reads from the device, never from the page cache."""
        return False

    @property
    def can_sync_filesystem(self) -> bool:
        """Whether `sync_filesystem` can make a whole batch durable in one call."""
        return False

    def open_read(self, path: Path) -> int:
        """A descriptor for reading `path` in binary mode."""
        return os.open(path, self.read_flags)

    def open_pinned(self, path: Path) -> int:
        """A descriptor for reading `path` that never follows a symlink in its last part and
        never blocks (a FIFO or a device opens at once; the caller checks the type with
        `fstat` on the descriptor). ELOOP when `path` is a symlink."""
        return os.open(path, self.read_flags | _flag("O_NOFOLLOW") | _flag("O_NONBLOCK"))

    def open_new(self, path: Path, mode: int = 0o644) -> int:
        """Create `path` (it must not exist) for writing and reading, in binary mode."""
        return os.open(path, self.new_flags, mode)

    def open_append(self, path: Path, mode: int = 0o644) -> int:
        """`path` opened to append to (created if missing), in binary mode."""
        return os.open(path, self.append_flags, mode)

    def readinto(self, fd: int, view: memoryview) -> int:
        """Fill `view` from `fd` without an intermediate copy; the bytes read, 0 at the end."""
        with io.FileIO(fd, "rb", closefd=False) as handle:
            return handle.readinto(view)

    def open_readback(self, path: Path) -> FileSource:
        """`path` opened to be read back from the device, bypassing or emptying the page cache
        where the OS can; the source's `cache_free` says whether it could (here: never)."""
        return FdSource(self.open_read(path), self.readinto, cache_free=False)

    def set_times(self, fd: int, path: Path, atime_ns: int, mtime_ns: int) -> None:
        """Give the open file `fd` (at `path`) these access and modification times."""
        if self._times_by_fd:
            os.utime(fd, ns=(atime_ns, mtime_ns))
        else:
            os.utime(path, ns=(atime_ns, mtime_ns))

    def fsync(self, fd: int) -> None:
        """Make the file's data and metadata durable on the device."""
        os.fsync(fd)

    def fsync_dir(self, folder: Path) -> None:
        """Make new or renamed entries of `folder` durable."""
        fd = os.open(folder, os.O_RDONLY | _flag("O_DIRECTORY") | _flag("O_CLOEXEC"))
        try:
            self.fsync(fd)
        finally:
            os.close(fd)

    def sync_point(self, folder: Path) -> int | None:
        """A descriptor on `folder`'s nearest existing ancestor, opened BEFORE a batch is
        written, for `sync_filesystem`; None where the OS has no file-system sync."""
        return None

    def sync_filesystem(self, fd: int) -> None:
        """Flush the whole file system holding `fd`; OSError if any write-back failed since
        `fd` was opened, ENOSYS where the OS cannot (then each file needs its own fsync)."""
        raise OSError(errno.ENOSYS, "no file-system sync on this platform")

    def publish_no_clobber(self, source: Path, target: Path) -> None:
        """Move `source` to `target`, never replacing a file (FileExistsError if one is there)."""
        try:
            self.rename_exclusive(source, target)
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
        else:
            return
        self.link_then_unlink(source, target)

    def rename_exclusive(self, source: Path, target: Path) -> None:
        """One rename that fails if `target` exists; an errno in `_UNSUPPORTED` where the OS or
        the file system has none (the portable implementation never has one)."""
        raise OSError(errno.ENOSYS, "no exclusive rename on this platform", str(target))

    def link_then_unlink(self, source: Path, target: Path) -> None:
        """The POSIX no-clobber move: a hard link (fails if `target` exists), then unlink."""
        try:
            os.link(source, target)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno in _UNSUPPORTED or exc.errno in (errno.EPERM, errno.EMLINK):
                raise OSError(errno.EOPNOTSUPP, "the file system can neither link nor rename "
                              "without replacing", str(target)) from exc
            raise
        source.unlink()


_UNSUPPORTED = frozenset(
    code for code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP) if code
)
"""Errnos that mean "this call does not exist here", not "this call failed"."""

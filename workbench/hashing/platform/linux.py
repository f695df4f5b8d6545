"""Linux: `readv` into the caller's buffer, `posix_fadvise` to read back from the device,
`renameat2(RENAME_NOREPLACE)` to publish, one `syncfs` per batch, and `sync_file_range` so a
big file's regions are flushed and read back while the rest of it is written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from workbench.hashing.platform.base import FdSource, Platform
from workbench.hashing.platform.libc import CLibrary, LibC

RENAME_NOREPLACE = 1
"""`renameat2` flag: fail with EEXIST instead of replacing the target."""
AT_FDCWD = -100
"""`renameat2` directory argument: paths relative to the working folder."""
SYNC_FILE_RANGE_WAIT_BEFORE = 1
SYNC_FILE_RANGE_WRITE = 2
SYNC_FILE_RANGE_WAIT_AFTER = 4
FLUSH_AND_WAIT = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER
"""Write the range out and wait until it is on the device (and report its write-back errors)."""


class LinuxRegions:
    """A range flushed with `sync_file_range`, dropped with `posix_fadvise`, read with `preadv`."""

    def __init__(self, libc: CLibrary) -> None:
        self._libc = libc

    def start(self, fd: int, offset: int, length: int) -> None:
        """Start writing the range to the device, without waiting for it."""
        self._libc.call("sync_file_range", fd, offset, length, SYNC_FILE_RANGE_WRITE)

    def flush(self, fd: int, offset: int, length: int) -> None:
        """Write the range to the device and wait until it is there (errors: OSError)."""
        self._libc.call("sync_file_range", fd, offset, length, FLUSH_AND_WAIT)

    def drop(self, fd: int, offset: int, length: int) -> None:
        """Evict the range's clean pages so that the next read of it comes from the device."""
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)

    def read_at(self, fd: int, view: memoryview, offset: int) -> int:
        """Fill `view` from `offset` without moving the file position; the bytes read."""
        return os.preadv(fd, [view], offset)


class LinuxPlatform(Platform):
    """Linux (and any POSIX system whose C library has the same calls)."""

    name = "linux"

    def __init__(self, libc: CLibrary | None = None) -> None:
        super().__init__()
        self._libc: CLibrary = libc if libc is not None else LibC()
        self._fadvise = hasattr(os, "posix_fadvise")
        self._readv = hasattr(os, "readv")
        if self._fadvise and hasattr(os, "preadv") and self._libc.has("sync_file_range"):
            self.regions = LinuxRegions(self._libc)

    @property
    def cache_free(self) -> bool:
        """True: every read-back first evicts the file's pages with `posix_fadvise`."""
        return self._fadvise

    @property
    def can_sync_filesystem(self) -> bool:
        """True where the C library has `syncfs` (glibc >= 2.14)."""
        return self._libc.has("syncfs")

    def readinto(self, fd: int, view: memoryview) -> int:
        """`readv` straight into `view`."""
        if self._readv:
            return os.readv(fd, [view])
        return super().readinto(fd, view)

    def open_readback(self, path: Path) -> FdSource:
        """`path` with its clean pages evicted first, so every byte comes from the device."""
        fd = self.open_read(path)
        if self._fadvise:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)  # a larger read-ahead
        return FdSource(fd, self.readinto, cache_free=self._fadvise)

    def sync_point(self, folder: Path) -> int | None:
        """A descriptor on `folder`'s nearest existing ancestor (for `syncfs`)."""
        if not self.can_sync_filesystem:
            return None
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        return os.open(folder, self.read_flags)

    def sync_filesystem(self, fd: int) -> None:
        """`syncfs`: raises OSError if any write-back failed since `fd` was opened (>= 5.8)."""
        if not self.can_sync_filesystem:
            super().sync_filesystem(fd)
        self._libc.call("syncfs", fd)

    def rename_exclusive(self, source: Path, target: Path) -> None:
        """`renameat2(RENAME_NOREPLACE)`: EINVAL on file systems without it (then a link)."""
        if not self._libc.has("renameat2"):
            raise OSError(errno.ENOSYS, "renameat2 is not available", str(target))
        try:
            self._libc.call("renameat2", AT_FDCWD, os.fsencode(source), AT_FDCWD,
                            os.fsencode(target), RENAME_NOREPLACE)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(target)) from None

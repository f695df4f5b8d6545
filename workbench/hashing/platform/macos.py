"""macOS: `F_NOCACHE` so a read-back comes from the device, `F_FULLFSYNC` so a sync reaches
the medium (a plain `fsync` stops at the drive's cache there), `renamex_np(RENAME_EXCL)` to
publish without replacing. No file-system sync and no range write-back: a batch is made
durable file by file, and a big file is read back after it is written."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from workbench.hashing.platform.base import FdSource, Platform
from workbench.hashing.platform.libc import CLibrary, LibC

F_NOCACHE = 48
"""`fcntl` command (sys/fcntl.h): 1 turns data caching off for the descriptor."""
F_FULLFSYNC = 51
"""`fcntl` command: flush the file to the medium, drive cache included."""
RENAME_EXCL = 0x4
"""`renamex_np` flag: fail with EEXIST instead of replacing the target."""

Fcntl = Callable[[int, int, int], int]
"""`fcntl.fcntl(fd, command, argument)`."""


def _system_fcntl() -> Fcntl:
    import fcntl

    call: Fcntl = fcntl.fcntl
    return call


class MacPlatform(Platform):
    """macOS (APFS, HFS+, exFAT, SMB shares)."""

    name = "macos"

    def __init__(self, libc: CLibrary | None = None, fcntl: Fcntl | None = None) -> None:
        super().__init__()
        self._libc: CLibrary = libc if libc is not None else LibC()
        self._fcntl: Fcntl = fcntl if fcntl is not None else _system_fcntl()

    @property
    def cache_free(self) -> bool:
        """True: read-backs (and the writes before them) bypass the cache with `F_NOCACHE`."""
        return True

    def readinto(self, fd: int, view: memoryview) -> int:
        """`readv` straight into `view`."""
        return os.readv(fd, [view])

    def open_new(self, path: Path, mode: int = 0o644) -> int:
        """A new file whose written pages are not kept in the cache (for its read-back)."""
        fd = super().open_new(path, mode)
        try:
            self._fcntl(fd, F_NOCACHE, 1)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def open_readback(self, path: Path) -> FdSource:
        """`path` read with caching off, so the bytes come from the device."""
        fd = self.open_read(path)
        try:
            self._fcntl(fd, F_NOCACHE, 1)
        except BaseException:
            os.close(fd)
            raise
        return FdSource(fd, self.readinto, cache_free=True)

    def fsync(self, fd: int) -> None:
        """`F_FULLFSYNC`; a plain `fsync` only on file systems without it (some shares)."""
        try:
            self._fcntl(fd, F_FULLFSYNC, 0)
        except OSError as exc:
            if exc.errno not in (errno.ENOTSUP, errno.EINVAL, errno.ENOTTY):
                raise
            os.fsync(fd)

    def rename_exclusive(self, source: Path, target: Path) -> None:
        """`renamex_np(RENAME_EXCL)`: ENOTSUP on file systems without it (then a link)."""
        try:
            self._libc.call("renamex_np", os.fsencode(source), os.fsencode(target), RENAME_EXCL)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(target)) from None

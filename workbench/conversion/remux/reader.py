"""A file PyAV reads through Python that hashes its bytes on the way (blake3 of the whole
file), so a clip is demuxed and hashed in one read.

Demuxers seek (an MP4's index is often at its end): bytes are hashed while the reads run on
from the part already hashed, and whatever was skipped is read and hashed at `finish()`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import blake3

from workbench.hashing import platform
from workbench.hashing.readback import open_cold

CHUNK = 1 << 20
"""Bytes PyAV asks for at a time (its I/O buffer)."""


class HashingReader(io.RawIOBase):
    """A read-only, seekable file over a descriptor that hashes what is read, in order."""

    def __init__(self, fd: int, cache_free: bool) -> None:
        super().__init__()
        self.file = os.fdopen(fd, "rb", buffering=0)
        self.cache_free = cache_free
        """True when the bytes come from the device, not the page cache."""
        self.position = 0
        self.hashed = 0
        """Bytes from the start hashed so far."""
        self.hasher = blake3.blake3()
        self.size = os.fstat(fd).st_size
        """The file's size when it was opened."""

    @classmethod
    def open(cls, path: Path, *, cold: bool = False) -> HashingReader:
        """`path` opened read-only; `cold`: from the device, its cached pages dropped first
        (the copy engine's read-back), where the platform allows."""
        if cold:
            source = open_cold(path)
            fd = getattr(source, "fd", None)
            if isinstance(fd, int):
                return cls(fd, source.cache_free)
            source.close()
        return cls(platform.SYSTEM.open_read(path), False)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._read(self.position, memoryview(buffer).cast("B"))
        self.position += count
        return count

    def _read(self, at: int, view: memoryview) -> int:
        self.file.seek(at)
        count = self.file.readinto(view) or 0
        end = at + count
        if at <= self.hashed < end:
            self.hasher.update(view[self.hashed - at:count])
            self.hashed = end
        return count

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def finish(self) -> str:
        """The blake3 of the whole file (the bytes not yet hashed are read now)."""
        if self.hashed < self.size:  # sized to what is left: a small clip's is never 8 MiB
            buffer = memoryview(bytearray(min(CHUNK * 8, self.size - self.hashed)))
            while self.hashed < self.size and self._read(self.hashed, buffer):
                pass
        return self.hasher.hexdigest()

    def close(self) -> None:
        self.file.close()
        super().close()


def sync_file(path: Path) -> None:
    """Make the written file at `path` durable (its data and size on the disk)."""
    fd = platform.SYSTEM.open_read(path)
    try:
        platform.SYSTEM.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["CHUNK", "HashingReader", "sync_file"]

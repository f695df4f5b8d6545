"""The copy's file as PyAV writes it: created exclusively (never an existing file), written in
large blocks, and each completed region handed to the device at once (`sync_file_range`
where the platform has it), so a big copy does not pile up dirty pages that stall the muxer
and the final fsync has little left to do."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

from workbench.hashing import platform
from workbench.hashing.regions import REGION_SIZE

BUFFER = 8 << 20
"""Bytes PyAV collects before each write of the copy (its I/O buffer for the output)."""


class WriteBehind(io.RawIOBase):
    """A new file, seekable for the muxer, whose completed regions start to the device as the
    write passes them."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.fd = platform.SYSTEM.open_new(path)
        self.position = 0
        self.started = 0
        """Bytes from the start already handed to the device."""
        self.failure: OSError | None = None
        """The error of a write that failed (PyAV reports it only as its own error)."""

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        done = 0
        try:
            os.lseek(self.fd, self.position, os.SEEK_SET)  # portable: no pwrite on Windows
            while done < len(view):
                done += os.write(self.fd, view[done:])
        except OSError as exc:
            self.failure = exc
            raise
        self.position += done
        self._write_behind()
        return done

    def _write_behind(self) -> None:
        regions = platform.SYSTEM.regions
        while regions is not None and self.position - self.started >= REGION_SIZE:
            with contextlib.suppress(OSError):  # a hint: the fsync after the write reports
                regions.start(self.fd, self.started, REGION_SIZE)  # any write-back error
            self.started += REGION_SIZE

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position,
                os.SEEK_END: os.fstat(self.fd).st_size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def sync(self) -> None:
        """Make everything written durable (data and size)."""
        platform.SYSTEM.fsync(self.fd)

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


__all__ = ["BUFFER", "WriteBehind"]

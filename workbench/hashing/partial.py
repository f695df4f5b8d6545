"""Writing a destination's `.partial` file, which becomes the copy only after it is complete;
a big one is read back region by region while it is written (`regions.RegionCheck`).

`write_all` is the seam tests use to inject write faults.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

from workbench.hashing import platform
from workbench.hashing.regions import RegionCheck
from workbench.hashing.stream import Sink

PARTIAL_SUFFIX = ".partial"
"""Suffix of a file being written; renamed away only after a complete write."""


def partial_path(final: Path) -> Path:
    """The `.partial` file written next to `final`."""
    return final.with_name(final.name + PARTIAL_SUFFIX)


def write_all(fd: int, data: memoryview) -> None:
    """Write all of `data` to `fd` (a seam: tests replace it to inject write faults)."""
    while data:
        written = os.write(fd, data)
        data = data[written:]


class PartialWriter:
    """Writes one destination's `.partial`; a failure is kept (not raised) so the others go on."""

    __slots__ = ("check", "error", "fd", "final", "operation", "partial", "read_back", "size")

    def __init__(self, final: Path) -> None:
        self.final = final
        self.partial = partial_path(final)
        self.fd: int | None = None
        self.error: OSError | None = None
        self.operation = "create"
        self.size = 0
        """Bytes written so far."""
        self.check: RegionCheck | None = None
        """The region read-back running behind the write, for a streamed file."""
        self.read_back: str | None = None
        """blake3 of the streamed read-back, once every region and the fsync are done: the
        partial is then durable and needs no batch sync."""

    @property
    def ok(self) -> bool:
        """True while the partial is open and nothing failed."""
        return self.fd is not None and self.error is None

    def open(self, known_folders: set[Path], verify_lane: Executor | None = None,
             sinks: Sequence[Sink] = (), sink_lanes: Executor | None = None) -> None:
        """Make the folders (unless known to exist) and create the `.partial`, exclusively;
        with a `verify_lane` (where the platform has `regions`), read it back while written,
        feeding what is read back to `sinks` too (see `RegionCheck`)."""
        try:
            if self.final.parent not in known_folders:
                self.final.parent.mkdir(parents=True, exist_ok=True)
                known_folders.add(self.final.parent)
            self.fd = platform.SYSTEM.open_new(self.partial)
        except OSError as exc:
            self.error = exc
            return
        regions = platform.SYSTEM.regions
        if verify_lane is not None and regions is not None:
            self.check = RegionCheck(self.fd, self.partial, regions, verify_lane, sinks,
                                     sink_lanes)

    def feed(self, chunk: memoryview) -> None:
        """Append one chunk; on failure keep the error and remove the partial."""
        if not self.ok:
            return
        assert self.fd is not None
        try:
            write_all(self.fd, chunk)
        except OSError as exc:
            self.fail(exc, "write")
            return
        self.size += len(chunk)
        if self.check is not None:
            self.check.written(self.size)
            self._settle_check()

    def finish(self, atime_ns: int, mtime_ns: int) -> None:
        """Give the partial the source's times (before it is synced); a streamed partial
        then queues its last region and its fsync (see `await_read_back`)."""
        if self.ok:
            assert self.fd is not None
            try:
                platform.SYSTEM.set_times(self.fd, self.partial, atime_ns, mtime_ns)
            except OSError as exc:
                self.fail(exc, "write")
                return
            if self.check is not None:
                self.check.end(self.size)

    def await_read_back(self) -> None:
        """Wait for a streamed partial's read-back and fsync; keep its digest or its failure."""
        if self.ok and self.check is not None:
            self.read_back = self.check.result()
            self._settle_check()

    def _settle_check(self) -> None:
        assert self.check is not None
        if self.check.failure is not None:
            operation, exc = self.check.failure
            self.fail(exc, operation)

    def sync(self) -> None:
        """Make the partial durable (after a batch `syncfs` this only reports write-back
        errors)."""
        if self.ok:
            assert self.fd is not None
            try:
                platform.SYSTEM.fsync(self.fd)
            except OSError as exc:
                self.fail(exc, "write")

    def fail(self, exc: OSError, operation: str) -> None:
        """Record why this destination failed and remove its partial."""
        self.error, self.operation = exc, operation
        self.discard()

    def discard(self) -> None:
        """Stop its read-back, close and remove the partial (it never holds evidence). A
        partial the file system will not let go (read-only, immutable, failed) stays: the
        run lock lists it, and the run's end or the next run removes it (`run_lock`)."""
        if self.check is not None:
            self.check.stop()
        self.close()
        with contextlib.suppress(OSError):
            self.partial.unlink()

    def close(self) -> None:
        """Close the partial's descriptor, if open."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)

"""Writing a destination's `.partial` file, which becomes the copy only after it is complete.

`write_all` is the seam tests use to inject write faults.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from workbench.hashing import platform

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
            self.fd = platform.SYSTEM.open_new(self.partial)
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
                platform.SYSTEM.set_times(self.fd, self.partial, atime_ns, mtime_ns)
            except OSError as exc:
                self.fail(exc, "write")

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
        """Close and remove the partial (it never holds evidence)."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()

    def close(self) -> None:
        """Close the partial's descriptor, if open."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)

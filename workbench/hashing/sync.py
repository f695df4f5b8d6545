"""Making a batch of written files durable with one `syncfs` instead of one `fsync` each."""

from __future__ import annotations

from pathlib import Path

from workbench.hashing import platform


def open_sync_point(folder: Path) -> int | None:
    """A descriptor on `folder`'s nearest existing ancestor, opened BEFORE a batch is written
    so that `sync_filesystem` reports every write-back error that happens after it; None
    where the OS has no file-system sync (then every file gets its own fsync)."""
    return platform.SYSTEM.sync_point(folder)


def sync_filesystem(fd: int) -> None:
    """Flush the whole file system holding `fd` (one call per batch instead of one fsync per
    file); raises OSError if any write-back failed since `fd` was opened (Linux >= 5.8)."""
    platform.SYSTEM.sync_filesystem(fd)

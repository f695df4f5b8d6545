"""Making a batch of written files durable with one `syncfs` instead of one `fsync` each."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from workbench.hashing import libc


def open_sync_point(folder: Path) -> int:
    """A descriptor on `folder`'s nearest existing ancestor, opened BEFORE a batch is written
    so that `sync_filesystem` reports every write-back error that happens after it."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))


def sync_filesystem(fd: int) -> None:
    """Flush the whole file system holding `fd` (one call per batch instead of one fsync per
    file); raises OSError if any write-back failed since `fd` was opened (Linux >= 5.8)."""
    if libc.has("syncfs"):
        libc.call("syncfs", fd)
    else:
        os.fsync(fd)  # no syncfs: the caller falls back to one fsync per file
        raise OSError(errno.ENOSYS, "syncfs is not available")

"""Sources pinned from plan to read: the copy reads the very file the plan listed, or none.

A source is opened without following a symlink and without blocking (a FIFO or a device
swapped in after planning opens at once and is refused on the descriptor's type). A symlink
the plan accepted (one to a file inside the source) is opened at its resolved target, also
without following. The descriptor's device, inode, size, modification and status-change
times must be the plan's before the read, and still be after it; any difference is
`SourceChanged`, so a file swapped, rewritten (even with its mtime put back) or replaced by a
link to another file is never `verified`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Protocol

from workbench.errors import ProcessingError, SourceChanged
from workbench.hashing import platform
from workbench.processing.sources.walk import kind_of


class Pinned(Protocol):
    """What the plan knew of a source file (a `PlannedFile` is one)."""

    @property
    def source(self) -> Path: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...
    @property
    def device(self) -> int | None: ...
    @property
    def inode(self) -> int | None: ...
    @property
    def ctime_ns(self) -> int | None: ...


def open_source(item: Pinned) -> int:
    """A descriptor on `item.source` as planned. Raises `ProcessingError(SourceChanged)` when
    it is no longer that file, or OSError."""
    try:
        fd = platform.SYSTEM.open_pinned(item.source)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        fd = platform.SYSTEM.open_pinned(_resolved(item))
    try:
        check_unchanged(item, os.fstat(fd))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _resolved(item: Pinned) -> Path:
    """Where a symlink source points now (checked against the plan's inode after opening)."""
    return Path(os.path.realpath(item.source))


def check_unchanged(item: Pinned, info: os.stat_result, read: int | None = None) -> None:
    """Raise `ProcessingError(SourceChanged)` unless `info` (an `fstat` of the open source) is
    the planned file: a regular file, same device, inode, size, mtime and ctime; and, after
    the read, `read` bytes were read (one more than planned proves it grew)."""
    detail = _difference(item, info, read)
    if detail is not None:
        raise ProcessingError(SourceChanged(
            path=str(item.source), expected_size=item.size, actual_size=info.st_size,
            expected_mtime_ns=item.mtime_ns, actual_mtime_ns=info.st_mtime_ns, detail=detail,
        ))


def _difference(item: Pinned, info: os.stat_result, read: int | None) -> str | None:
    if not stat.S_ISREG(info.st_mode):
        return f"it is a {kind_of(info.st_mode)} now"
    pinned = [
        ("device", item.device, info.st_dev),
        ("inode", item.inode, info.st_ino),
        ("size", item.size, info.st_size),
        ("mtime", item.mtime_ns, info.st_mtime_ns),
        ("ctime", item.ctime_ns, info.st_ctime_ns),
    ]
    changed = [name for name, planned, now in pinned if planned is not None and planned != now]
    if read is not None and read != item.size:
        changed.append(f"{read} bytes read")
    return f"{', '.join(changed)} differ from the plan" if changed else None

"""Writing a stored (uncompressed) zip64 archive into its `.partial`, one member at a time.

Python's `zipfile` lays out the archive (local headers, zip64 extras, central directory);
the bytes go through `PartialWriter`, the same writer and write seam as a copy. Each member
is read once in large chunks: `zipfile` takes its CRC-32 and writes it while blake3 and
xxh128 are computed on another thread from the same buffer, so memory stays flat however
large the file. A source that changes while it is read is refused (`SourceChanged`).
"""

from __future__ import annotations

import errno
import io
import os
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from workbench.errors import ExportError, SourceChanged
from workbench.events import CancelToken
from workbench.hashing import platform
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.digests import MultiDigest
from workbench.hashing.partial import PartialWriter
from workbench.hashing.stream import CHUNK_SIZE, Buffers, stream

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

MEMBER_DIGESTS: tuple[HashAlgorithm, ...] = ("blake3", "xxh128")
"""Digests of every member from its one read: blake3 (checked), xxh128 (ASC MHL)."""
_EARLIEST = (1980, 1, 1, 0, 0, 0)
_LATEST = (2107, 12, 31, 23, 59, 58)


class ArchiveFile(io.RawIOBase):
    """The archive's `.partial` as the file object `zipfile` writes to, append only: `zipfile`
    then writes each member's CRC and sizes after its data (a data descriptor) instead of
    going back to its header, so every byte is final once written and can be read back while
    the rest is written. A failed write raises the writer's `OSError` (and the writer has
    already removed the partial)."""

    def __init__(self, writer: PartialWriter) -> None:
        super().__init__()
        self.writer = writer

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: ReadableBuffer) -> int:
        view = memoryview(data).cast("B")
        self._fd()
        self.writer.feed(view)
        self._fd()
        return view.nbytes

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        raise io.UnsupportedOperation("the archive is written front to back")

    def tell(self) -> int:
        self._fd()
        return self.writer.size

    def _fd(self) -> int:
        """The partial's descriptor; after a failure, that failure again (never a stale
        descriptor number, which may by then belong to another file)."""
        if self.writer.error is not None:
            raise self.writer.error
        if self.writer.fd is None:
            raise OSError(errno.EBADF, "the archive is closed")
        return self.writer.fd


class MemberSource(Protocol):
    """A regular file to archive, as it was listed."""

    @property
    def path(self) -> Path: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...
    @property
    def mode(self) -> int: ...


Source = TypeVar("Source", bound=MemberSource)


@dataclass(frozen=True)
class WrittenMember(Generic[Source]):
    """One member as it was written: its name, and the digests of the bytes read."""

    source: Source
    name: str
    crc32: str
    digests: dict[str, str]


def zip_time(mtime_ns: int) -> tuple[int, int, int, int, int, int]:
    """A modification time as a ZIP's local date and time (clamped to what ZIP can hold)."""
    moment = time.localtime(mtime_ns / 1e9)[:6]
    return max(min(moment, _LATEST), _EARLIEST)


def write_member(
    archive: zipfile.ZipFile,
    source: Source,
    name: str,
    buffers: Buffers,
    *,
    lanes: Executor,
    cancel: CancelToken,
    on_chunk: Callable[[int], None],
    on_open: Callable[[zipfile.ZipInfo], None],
) -> WrittenMember[Source]:
    """Stream `source` into `archive` as the stored member `name`; returns its digests.
    `on_open` is told of the member (at its header's offset) before anything of it is
    written."""
    info = zipfile.ZipInfo(name, date_time=zip_time(source.mtime_ns))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = (0o100000 | source.mode) << 16
    info.file_size = source.size
    assert archive.fp is not None
    info.header_offset = archive.fp.tell()
    on_open(info)
    digest = MultiDigest(MEMBER_DIGESTS)
    fd = platform.SYSTEM.open_read(source.path)
    try:
        with archive.open(info, "w", force_zip64=True) as member:
            count = stream(
                fd, buffers, [digest.update, member.write],
                lanes=lanes if source.size > CHUNK_SIZE else None, cancel=cancel,
                on_chunk=on_chunk, limit=source.size + 1,
            )
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (count, after.st_size, after.st_mtime_ns) != (source.size, source.size,
                                                      source.mtime_ns):
        raise ExportError(SourceChanged(
            path=str(source.path), expected_size=source.size, actual_size=after.st_size,
            expected_mtime_ns=source.mtime_ns, actual_mtime_ns=after.st_mtime_ns,
        ))
    return WrittenMember(source, name, f"{info.CRC:08x}", digest.hexdigests())

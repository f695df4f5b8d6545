"""Writing a stored (uncompressed) zip64 archive into its `.partial`, one member at a time.

The archive is laid out front to back (APPNOTE 6.3.10): each member's local header, its bytes,
then its CRC-32 and sizes in a data descriptor, so every byte is final once written and can be
read back while the rest is written; `close` adds the central directory and the zip64 end
records. Every size and offset is in zip64 fields, whatever its size. The bytes go through
`PartialWriter`, the same writer and write seam as a copy. Each member is read once in large
chunks, and every chunk is written while its CRC-32 (isal), blake3 and xxh128 are computed on
other threads from the same buffer, so memory stays flat however large the file. A source that
changes while it is read is refused (`SourceChanged`).
"""

from __future__ import annotations

import errno
import os
import struct
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from isal.isal_zlib import crc32

from workbench.errors import ExportError, SourceChanged
from workbench.events import CancelToken
from workbench.hashing import platform
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.digests import MultiDigest
from workbench.hashing.partial import PartialWriter
from workbench.hashing.stream import CHUNK_SIZE, Buffers, stream

MEMBER_DIGESTS: tuple[HashAlgorithm, ...] = ("blake3", "xxh128")
"""Digests of every member from its one read: blake3 (checked), xxh128 (ASC MHL)."""
_EARLIEST = (1980, 1, 1, 0, 0, 0)
_LATEST = (2107, 12, 31, 23, 59, 58)
_VERSION = 45
"""The version of the format needed to read zip64 fields (also the one written by)."""
_MADE_BY = 3 << 8 | _VERSION
"""Made on Unix: readers take each member's mode from its external attributes."""
DATA_DESCRIPTOR = 0x08
"""A local header flag: the CRC and sizes follow the data (an archive written as a stream)."""
_FLAGS = DATA_DESCRIPTOR | 0x800
"""CRC and sizes in a data descriptor after the data; names in UTF-8."""
_UNKNOWN = 0xFFFFFFFF
"""A 32-bit field whose value is in the zip64 extra field."""
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
"""A local file header: signature, version, flags, method, time, date, CRC, sizes, lengths."""
LOCAL_SIGNATURE = b"PK\x03\x04"
_LOCAL_ZIP64 = struct.Struct("<2H2Q")
"""Extra field of a local header: zip64 tag, length, sizes (0: they follow the data)."""
_DESCRIPTOR = struct.Struct("<4sL2Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_CENTRAL_ZIP64 = struct.Struct("<2H3Q")
"""Extra field of a directory entry: zip64 tag, length, sizes and the local header's offset."""
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_END = struct.Struct("<4s4H2LH")


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


class _Crc32:
    """The CRC-32 of the chunks fed so far."""

    def __init__(self) -> None:
        self.value = 0

    def update(self, data: memoryview) -> None:
        self.value = crc32(data, self.value)


def zip_time(mtime_ns: int) -> tuple[int, int, int, int, int, int]:
    """A modification time as a ZIP's local date and time (clamped to what ZIP can hold)."""
    moment = time.localtime(mtime_ns / 1e9)[:6]
    return max(min(moment, _LATEST), _EARLIEST)


def _dos(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


class Archive:
    """A stored zip64 archive written front to back into `writer` (see the module). A failed
    write raises the writer's `OSError` (and the writer has already removed the partial)."""

    def __init__(self, writer: PartialWriter) -> None:
        self.writer = writer
        self.members: list[zipfile.ZipInfo] = []
        """Every member written whole, with its CRC, in order."""

    def _put(self, data: bytes | memoryview) -> None:
        self._raise_failure()
        self.writer.feed(memoryview(data))
        self._raise_failure()

    def _raise_failure(self) -> None:
        """The writer's failure again (never a write to a closed or stale descriptor)."""
        if self.writer.error is not None:
            raise self.writer.error
        if self.writer.fd is None:
            raise OSError(errno.EBADF, "the archive is closed")

    def add(
        self,
        source: Source,
        name: str,
        buffers: Buffers,
        *,
        lanes: Executor,
        cancel: CancelToken,
        on_chunk: Callable[[int], None],
        on_open: Callable[[zipfile.ZipInfo], None],
    ) -> WrittenMember[Source]:
        """Stream `source` into the archive as the stored member `name`; returns its digests.
        `on_open` is told of the member (at its header's offset) before anything of it is
        written."""
        self._raise_failure()
        info = zipfile.ZipInfo(name, date_time=zip_time(source.mtime_ns))
        info.external_attr = (0o100000 | source.mode) << 16
        info.file_size = info.compress_size = source.size
        info.header_offset = self.writer.size
        on_open(info)
        encoded = info.filename.encode()
        dos_time, dos_date = _dos(info)
        self._put(LOCAL_HEADER.pack(LOCAL_SIGNATURE, _VERSION, _FLAGS, zipfile.ZIP_STORED, dos_time,
                              dos_date, 0, _UNKNOWN, _UNKNOWN, len(encoded), _LOCAL_ZIP64.size)
                  + encoded + _LOCAL_ZIP64.pack(1, _LOCAL_ZIP64.size - 4, 0, 0))
        digest, crc = MultiDigest(MEMBER_DIGESTS), _Crc32()
        fd = platform.SYSTEM.open_read(source.path)
        try:
            count = stream(
                fd, buffers, [digest.update, crc.update, self._put],
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
        self._put(_DESCRIPTOR.pack(b"PK\x07\x08", crc.value, count, count))
        info.CRC = crc.value
        self.members.append(info)
        return WrittenMember(source, name, f"{crc.value:08x}", digest.hexdigests())

    def close(self) -> None:
        """Write the central directory and the end records after the last member."""
        start = self.writer.size
        for info in self.members:
            encoded = info.filename.encode()
            dos_time, dos_date = _dos(info)
            self._put(_CENTRAL.pack(
                b"PK\x01\x02", _MADE_BY, _VERSION, _FLAGS, zipfile.ZIP_STORED, dos_time,
                dos_date, info.CRC, _UNKNOWN, _UNKNOWN, len(encoded), _CENTRAL_ZIP64.size, 0, 0,
                0, info.external_attr, _UNKNOWN,
            ) + encoded + _CENTRAL_ZIP64.pack(1, _CENTRAL_ZIP64.size - 4, info.file_size,
                                              info.compress_size, info.header_offset))
        end64, size, count = self.writer.size, self.writer.size - start, len(self.members)
        self._put(_END64.pack(b"PK\x06\x06", _END64.size - 12, _MADE_BY, _VERSION, 0, 0,
                              count, count, size, start)
                  + _LOCATOR64.pack(b"PK\x06\x07", 0, end64, 1)
                  + _END.pack(b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                              min(size, _UNKNOWN), min(start, _UNKNOWN), 0))

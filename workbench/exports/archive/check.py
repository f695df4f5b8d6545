"""Checking a written archive from the disk, not from memory or the page cache.

Where the platform reads a file back region by region while it is written, the archive is
checked that way (`StreamedCheck`, fed by the `.partial`'s `RegionCheck`), then its central
directory is read cold. Elsewhere (`check_archive`) the central directory is read with
`zipfile` after its pages are dropped; then the whole file is streamed once from the disk
(`read_back`): sha256 and blake3 of the archive on
two threads, and on a third every local header is parsed as it passes (signature, name,
stored, CRC) and every member's bytes are CRC-32'd and blake3'd. A member is verified only
when its name, size and CRC agree between what was written, the central directory and its
local header, and its blake3 is the one expected (the case manifest's, for evidence).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import blake3
from isal.isal_zlib import crc32

from workbench.errors import CorruptFile, ErrorPayload, ExportError, HashMismatch
from workbench.events import CancelToken
from workbench.exports.archive.writer import DATA_DESCRIPTOR, LOCAL_HEADER, LOCAL_SIGNATURE
from workbench.hashing import platform, readback
from workbench.hashing.stream import Buffers, Sink


@dataclass(frozen=True)
class Expected:
    """What one member must be: written as `name`, `size` bytes, this CRC and blake3."""

    name: str
    size: int
    crc32: str
    blake3: str


@dataclass
class _Member:
    """One member while the archive streams past."""

    expected: Expected
    info: zipfile.ZipInfo
    header: bytearray = field(default_factory=bytearray)
    header_size: int | None = None
    done: int = 0
    crc: int = 0
    digest: blake3.blake3 = field(default_factory=blake3.blake3)
    problem: ErrorPayload | None = None

    @property
    def data_start(self) -> int:
        assert self.header_size is not None
        return int(self.info.header_offset) + self.header_size


class _Splitter:
    """Fed the archive's bytes in order; parses each local header and hashes each member."""

    def __init__(self, path: Path, members: list[_Member], on_data: Callable[[str, int], None],
                 on_member: Callable[[str], None]) -> None:
        self.path, self.members = path, members
        self.on_data, self.on_member = on_data, on_member
        self.position = 0
        self.index = 0

    def feed(self, chunk: memoryview) -> None:
        start, end = self.position, self.position + len(chunk)
        self.position = end
        while self.index < len(self.members):
            member = self.members[self.index]
            if member.header_size is None:
                wanted = self._header_wanted(member)
                low = max(int(member.info.header_offset) + len(member.header), start)
                high = min(int(member.info.header_offset) + wanted, end)
                if low >= end:
                    return
                member.header += chunk[low - start:high - start]
                if len(member.header) == LOCAL_HEADER.size and wanted == LOCAL_HEADER.size:
                    continue  # the lengths of its name and extra field are known now
                if len(member.header) == wanted:
                    self._check_header(member)
                    member.header_size = wanted
                continue
            low = max(member.data_start + member.done, start)
            high = min(member.data_start + member.expected.size, end)
            if high > low:
                piece = chunk[low - start:high - start]
                member.crc = crc32(piece, member.crc)
                member.digest.update(piece)
                member.done += high - low
                self.on_data(member.expected.name, high - low)
            if member.done < member.expected.size:
                return
            self.index += 1
            self.on_member(member.expected.name)

    def _header_wanted(self, member: _Member) -> int:
        if len(member.header) < LOCAL_HEADER.size:
            return LOCAL_HEADER.size
        *_, name_length, extra_length = LOCAL_HEADER.unpack(
            bytes(member.header[:LOCAL_HEADER.size]))
        return int(LOCAL_HEADER.size + name_length + extra_length)

    def _check_header(self, member: _Member) -> None:
        signature, _, flags, method, _, _, crc, _, _, name_length, _ = LOCAL_HEADER.unpack(
            bytes(member.header[:LOCAL_HEADER.size]))
        name = bytes(member.header[LOCAL_HEADER.size:LOCAL_HEADER.size + name_length])
        encoding = "utf-8" if flags & 0x800 else "cp437"
        if signature != LOCAL_SIGNATURE:
            member.problem = self._corrupt(member, "no local header where the directory says")
        elif name != member.info.orig_filename.encode(encoding):
            member.problem = self._corrupt(member, f"its local header names {name!r}")
        elif method != zipfile.ZIP_STORED:
            member.problem = self._corrupt(member, f"compression method {method}, not stored")
        elif not flags & DATA_DESCRIPTOR and f"{crc:08x}" != member.expected.crc32:
            member.problem = HashMismatch(file=member.expected.name, algorithm="crc32",
                                          expected=member.expected.crc32, actual=f"{crc:08x}")

    def _corrupt(self, member: _Member, detail: str) -> CorruptFile:
        return CorruptFile(path=str(self.path), detail=f"member {member.expected.name}: {detail}")


@dataclass(frozen=True)
class ArchiveCheck:
    """The archive's digests read from disk and each member's CRC-32 and blake3."""

    digests: dict[str, str]
    crc32: dict[str, str]
    blake3: dict[str, str]


def check_archive(
    path: Path,
    expected: Sequence[Expected],
    buffers: Buffers,
    *,
    lanes: Executor,
    cancel: CancelToken,
    on_data: Callable[[str, int], None],
    on_member: Callable[[str], None],
) -> ArchiveCheck:
    """Read `path` back from disk and check it holds exactly `expected`, in order.

    Raises `ExportError`: `CorruptFile` for an archive whose structure is not what was
    written, `HashMismatch` for a member whose CRC-32 or blake3 differs; `ProcessingError`
    (Cancelled) when cancelled.
    """
    infos = _directory(path, expected)
    members = sorted((_Member(item, info) for item, info in zip(expected, infos, strict=True)),
                     key=lambda member: int(member.info.header_offset))
    splitter = _Splitter(path, members, on_data, on_member)
    sha256, whole = hashlib.sha256(), blake3.blake3()
    readback.read_back(path, buffers, [sha256.update, whole.update, splitter.feed],
                       lanes=lanes, cancel=cancel)
    return _result(splitter, sha256.hexdigest(), str(whole.hexdigest()))


class StreamedCheck:
    """The same check on an archive read back region by region while it is written: `sinks`
    are fed the bytes read back (the archive's sha256, and every local header and member
    parsed as it passes); each member is announced (`expect`) before its header is written.
    `finish` then reads the central directory cold and matches it with what was written."""

    def __init__(self, path: Path, on_data: Callable[[str, int], None],
                 on_member: Callable[[str], None]) -> None:
        self.path = path
        self.members: list[_Member] = []
        self.splitter = _Splitter(path, self.members, on_data, on_member)
        self.sha256 = hashlib.sha256()
        self.sinks: list[Sink] = [self.sha256.update, self.splitter.feed]

    def expect(self, info: zipfile.ZipInfo, name: str, size: int) -> None:
        """A member is about to be written at `info.header_offset`."""
        self.members.append(_Member(Expected(name, size, "", ""), info))

    def finish(self, written: Sequence[Expected], read_back_blake3: str) -> ArchiveCheck:
        """Everything written (with each member's CRC and blake3) and read back (the
        archive's blake3 as read back): the typed check, or `ExportError`."""
        for member, item in zip(self.members, written, strict=True):
            member.expected = item
        infos = _directory(self.path, written)
        for member, info in zip(self.members, infos, strict=True):
            if info.header_offset != member.info.header_offset:
                raise ExportError(CorruptFile(path=str(self.path), detail=(
                    f"member {info.filename}: listed at byte {info.header_offset}, "
                    f"written at {member.info.header_offset}")))
        return _result(self.splitter, self.sha256.hexdigest(), read_back_blake3)


def _result(splitter: _Splitter, sha256: str, whole: str) -> ArchiveCheck:
    members = splitter.members
    if splitter.index < len(members):
        raise ExportError(CorruptFile(path=str(splitter.path), detail="the archive ends inside "
                                      f"member {members[splitter.index].expected.name}"))
    for member in members:
        _raise_problem(member)
    return ArchiveCheck(
        digests={"sha256": sha256, "blake3": whole},
        crc32={member.expected.name: f"{member.crc:08x}" for member in members},
        blake3={member.expected.name: str(member.digest.hexdigest()) for member in members},
    )


def _directory(path: Path, expected: Sequence[Expected]) -> list[zipfile.ZipInfo]:
    """The central directory, read from disk, matched against what was written (in the
    order written)."""
    readback.open_cold(path).close()  # evicts the archive's pages where the OS does it per file
    fd = platform.SYSTEM.open_read(path)
    try:
        with os.fdopen(os.dup(fd), "rb") as handle, zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ExportError(CorruptFile(path=str(path), detail=f"unreadable directory ({exc})")
                          ) from None
    finally:
        os.close(fd)
    names = [info.filename for info in infos]
    if names != [item.name for item in expected]:
        raise ExportError(CorruptFile(path=str(path), detail="its directory does not list "
                                      "exactly the members written"))
    for info, item in zip(infos, expected, strict=True):
        if (info.file_size, info.compress_size) != (item.size, item.size):
            raise ExportError(CorruptFile(path=str(path), detail=f"member {item.name}: "
                                          f"{info.file_size} bytes listed, {item.size} written"))
        if f"{info.CRC:08x}" != item.crc32:
            raise ExportError(HashMismatch(file=item.name, algorithm="crc32",
                                           expected=item.crc32, actual=f"{info.CRC:08x}"))
    return infos


def _raise_problem(member: _Member) -> None:
    if member.problem is not None:
        raise ExportError(member.problem)
    item = member.expected
    crc, digest = f"{member.crc:08x}", str(member.digest.hexdigest())
    if crc != item.crc32:
        raise ExportError(HashMismatch(file=item.name, algorithm="crc32", expected=item.crc32,
                                       actual=crc))
    if digest != item.blake3:
        raise ExportError(HashMismatch(file=item.name, algorithm="blake3",
                                       expected=item.blake3, actual=digest))

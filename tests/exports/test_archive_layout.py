"""The archive's own layout (`exports.archive.writer`), read by other tools: Python's zipfile,
Info-ZIP's unzip and zipinfo. Every CRC, size, mode, time and name must be what they find."""

from __future__ import annotations

import os
import subprocess
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workbench.events import CancelToken
from workbench.exports.archive.writer import Archive, zip_time
from workbench.hashing.partial import PartialWriter
from workbench.hashing.stream import CHUNK_SIZE, new_buffers


@dataclass(frozen=True)
class File:
    path: Path
    size: int
    mtime_ns: int
    mode: int


def listed(path: Path) -> File:
    info = path.stat()
    return File(path, info.st_size, info.st_mtime_ns, info.st_mode & 0o7777)


def write_archive(target: Path, files: dict[str, Path]) -> list[str]:
    """Write `files` (member name → file) as an archive at `target`; their CRCs as written."""
    writer = PartialWriter(target)
    writer.open(set())
    archive = Archive(writer)
    with ThreadPoolExecutor(3) as lanes:
        crcs = [archive.add(listed(path), name, new_buffers(), lanes=lanes,
                            cancel=CancelToken(), on_chunk=lambda n: None,
                            on_open=lambda info: None).crc32
                for name, path in files.items()]
    archive.close()
    writer.sync()
    writer.close()
    writer.partial.rename(target)
    return crcs


def test_other_tools_read_every_member_as_written(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    contents = {"empty.txt": b"", "small.bin": os.urandom(1000),
                "big.bin": os.urandom(2 * CHUNK_SIZE + 12345)}  # streamed on the lanes
    for name, data in contents.items():
        (source / name).write_bytes(data)
    (source / "small.bin").chmod(0o600)
    os.utime(source / "big.bin", ns=(0, 1_700_000_000_000_000_000))
    names = {"case/empty.txt": source / "empty.txt", "case/Überwachung ç.bin": source / "small.bin",
             "case/cam 1/big.bin": source / "big.bin"}
    target = tmp_path / "out.zip"
    crcs = write_archive(target, names)

    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [info.filename for info in infos] == list(names)
        for info, path, crc in zip(infos, names.values(), crcs, strict=True):
            data = path.read_bytes()
            assert archive.read(info) == data
            assert (info.CRC, f"{info.CRC:08x}") == (zlib.crc32(data), crc)
            assert (info.file_size, info.compress_size) == (len(data), len(data))
            assert info.compress_type == zipfile.ZIP_STORED and info.create_system == 3
            assert info.external_attr >> 16 == 0o100000 | listed(path).mode
            *minute, second = zip_time(listed(path).mtime_ns)
            assert info.date_time == (*minute, second // 2 * 2)  # ZIP keeps even seconds
    tested = subprocess.run(["unzip", "-t", str(target)], capture_output=True, text=True)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout
    assert subprocess.run(["unzip", "-Z1", str(target)], capture_output=True, text=True,
                          check=True).stdout.splitlines() == list(names)
    extracted = tmp_path / "extracted"
    subprocess.run(["unzip", "-q", str(target), "-d", str(extracted)], check=True)
    for name, path in names.items():
        assert (extracted / name).read_bytes() == path.read_bytes()
        assert (extracted / name).stat().st_mode & 0o777 == listed(path).mode & 0o777

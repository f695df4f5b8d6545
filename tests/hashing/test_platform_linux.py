"""The Linux implementation with its real calls: a read-back leaves no page of the file in
the cache (checked with util-linux `fincore`), renameat2 publishes, ranges flush and drop."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from platform_fakes import publish_twice

from workbench.hashing.platform.libc import LibC
from workbench.hashing.platform.linux import FLUSH_AND_WAIT, RENAME_NOREPLACE, LinuxPlatform

pytestmark = [
    pytest.mark.native,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux calls"),
]


class RecordingLibC(LibC):
    """The real C library, every call recorded; `refuse` makes a call fail with an errno."""

    def __init__(self, refuse: dict[str, int] | None = None) -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []
        self.refuse = refuse or {}

    def call(self, name: str, *args: object) -> None:
        self.calls.append((name, *args))
        if name in self.refuse:
            raise OSError(self.refuse[name], os.strerror(self.refuse[name]))
        super().call(name, *args)


def cached_bytes(path: Path) -> int:
    """Bytes of `path` in the page cache (util-linux `fincore`); skips where that cannot say
    anything: no fincore, or a file system that lives in the page cache (tmpfs)."""
    if shutil.which("fincore") is None:
        pytest.skip("util-linux fincore is not installed")
    kind = subprocess.run(["stat", "--file-system", "--format", "%T", str(path)],
                          capture_output=True, text=True, check=True).stdout.strip()
    if kind in ("tmpfs", "ramfs"):
        pytest.skip(f"{path.parent} is on {kind}: its pages are its storage")
    done = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


def test_a_read_back_evicts_the_file_from_the_page_cache_first(
    written: tuple[Path, bytes],
) -> None:
    path, data = written
    assert path.read_bytes() == data and cached_bytes(path) > 0
    linux = LinuxPlatform()
    fd = linux.open_read(path)
    linux.fsync(fd)  # as the copy does before any read-back: dirty pages cannot be dropped
    os.close(fd)
    source = linux.open_readback(path)
    try:
        assert source.cache_free and linux.cache_free
        assert cached_bytes(path) == 0  # nothing left to read from memory
    finally:
        source.close()


def test_a_range_is_flushed_with_wait_flags_dropped_and_read_in_place(tmp_path: Path) -> None:
    libc = RecordingLibC()
    linux = LinuxPlatform(libc)
    regions = linux.regions
    assert regions is not None
    path = tmp_path / "clip.dav"
    data = os.urandom(24 << 20)
    region = 8 << 20  # region starts are multiples of 8 MiB: no large folio straddles one
    fd = linux.open_new(path)
    try:
        for start in range(0, len(data), region):
            os.write(fd, data[start: start + region])
        regions.flush(fd, region, region)
        regions.drop(fd, region, region)
        assert cached_bytes(path) == len(data) - region  # only that region left the cache
        regions.flush(fd, 5 << 30, region)  # offsets past 4 GiB pass as 64-bit integers
        view = memoryview(bytearray(region))
        assert regions.read_at(fd, view, region) == region
        assert bytes(view) == data[region: 2 * region]
        assert os.lseek(fd, 0, os.SEEK_CUR) == len(data)  # the write position did not move
    finally:
        os.close(fd)
    assert libc.calls == [
        ("sync_file_range", fd, region, region, FLUSH_AND_WAIT),
        ("sync_file_range", fd, 5 << 30, region, FLUSH_AND_WAIT),
    ]


def test_publish_is_one_rename_that_never_replaces(tmp_path: Path) -> None:
    libc = RecordingLibC()
    publish_twice(LinuxPlatform(libc), tmp_path)
    assert [(call[0], call[-1]) for call in libc.calls] == [("renameat2", RENAME_NOREPLACE)] * 2


def test_a_file_system_without_renameat2_publishes_by_hard_link(tmp_path: Path) -> None:
    libc = RecordingLibC(refuse={"renameat2": errno.EINVAL})
    publish_twice(LinuxPlatform(libc), tmp_path)
    assert [call[0] for call in libc.calls] == ["renameat2"] * 2  # then a link, each time


def test_one_syncfs_makes_a_folder_durable(tmp_path: Path) -> None:
    libc = RecordingLibC()
    linux = LinuxPlatform(libc)
    fd = linux.sync_point(tmp_path / "not" / "yet")
    assert fd is not None
    try:
        linux.sync_filesystem(fd)
    finally:
        os.close(fd)
    assert libc.calls == [("syncfs", fd)]

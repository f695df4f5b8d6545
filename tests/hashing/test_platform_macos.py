"""The macOS implementation against a fake libc and `fcntl`: F_NOCACHE on every read-back and
every new file, F_FULLFSYNC for durability, renamex_np(RENAME_EXCL); a whole copy through it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from platform_fakes import FakeFcntl, FakeLibC, cold_read, publish_twice, sync_new_file

from workbench.hashing import platform
from workbench.hashing.platform import FdSource
from workbench.hashing.platform.macos import F_FULLFSYNC, F_NOCACHE, RENAME_EXCL, MacPlatform
from workbench.processing import run_copy


@pytest.fixture
def libc() -> FakeLibC:
    return FakeLibC()


@pytest.fixture
def fcntl() -> FakeFcntl:
    return FakeFcntl()


@pytest.fixture
def mac(libc: FakeLibC, fcntl: FakeFcntl) -> MacPlatform:
    return MacPlatform(libc, fcntl)


@pytest.mark.native  # MacPlatform reads with readv, which the portable profile removes
def test_a_read_back_turns_caching_off_on_its_descriptor(
    mac: MacPlatform, fcntl: FakeFcntl, written: tuple[Path, bytes]
) -> None:
    path, data = written
    source, received = cold_read(mac, path)
    assert received == data
    assert isinstance(source, FdSource)
    assert fcntl.commands(F_NOCACHE) == [(source.fd, F_NOCACHE, 1)]


def test_a_new_file_keeps_no_written_pages_and_syncs_to_the_medium(
    mac: MacPlatform, fcntl: FakeFcntl, tmp_path: Path
) -> None:
    fd = sync_new_file(mac, tmp_path / "a.dav.partial")
    assert fcntl.calls == [(fd, F_NOCACHE, 1), (fd, F_FULLFSYNC, 0)]


@pytest.mark.native  # the fallback is a real fsync(2)
def test_a_file_system_without_full_fsync_gets_a_plain_one(
    libc: FakeLibC, tmp_path: Path
) -> None:
    fcntl = FakeFcntl(unsupported={F_FULLFSYNC})
    mac = MacPlatform(libc, fcntl)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        mac.fsync(fd)  # would raise if the ENOTSUP of F_FULLFSYNC escaped
    finally:
        os.close(fd)
    assert fcntl.commands(F_FULLFSYNC) == [(fd, F_FULLFSYNC, 0)]


def test_publish_renames_exclusively(mac: MacPlatform, libc: FakeLibC, tmp_path: Path) -> None:
    partial, final = publish_twice(mac, tmp_path)
    assert libc.calls == [
        ("renamex_np", os.fsencode(partial), os.fsencode(final), RENAME_EXCL),
    ] * 2


def test_a_volume_without_exclusive_rename_publishes_by_hard_link(
    tmp_path: Path,
) -> None:
    libc = FakeLibC(fail_with={"renamex_np": errno.ENOTSUP})
    publish_twice(MacPlatform(libc, FakeFcntl()), tmp_path)
    assert [call[0] for call in libc.calls] == ["renamex_np"] * 2


@pytest.mark.native  # MacPlatform reads with readv, which the portable profile removes
def test_a_verified_copy_runs_through_the_macos_calls(
    source: Path, plan_for, libc: FakeLibC, fcntl: FakeFcntl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(platform, "SYSTEM", MacPlatform(libc, fcntl))
    report = run_copy(plan_for([source]))
    assert report.outcome == "completed", report.mismatches()
    assert report.read_back_cache_free
    renamed = {Path(os.fsdecode(call[2])) for call in libc.calls if call[0] == "renamex_np"}
    assert renamed >= {row.destination for row in report.rows}
    assert all(call[3] == RENAME_EXCL for call in libc.calls)
    assert len(fcntl.commands(F_FULLFSYNC)) >= len(report.rows)  # no syncfs: one per file
    assert len(fcntl.commands(F_NOCACHE)) >= 2 * len(report.rows)  # each write, each read-back

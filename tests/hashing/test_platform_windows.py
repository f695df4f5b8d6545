"""The Windows implementation against a fake kernel32: unbuffered read-backs in aligned whole
sectors, moves that never replace, FlushFileBuffers; and a whole verified copy through it."""

from __future__ import annotations

import mmap
import ntpath
import os
from pathlib import Path

import blake3
import pytest
from platform_fakes import FakeKernel32, cold_read, publish_twice, sync_new_file, windows_api

from workbench.hashing import platform
from workbench.hashing.platform.windows import (
    FILE_FLAG_NO_BUFFERING,
    GENERIC_READ,
    MOVEFILE_REPLACE_EXISTING,
    MOVEFILE_WRITE_THROUGH,
    OPEN_EXISTING,
    SECTOR,
    WindowsPlatform,
    extended,
)
from workbench.processing import run_copy


@pytest.fixture
def windows(kernel32: FakeKernel32) -> WindowsPlatform:
    return WindowsPlatform(windows_api(kernel32))


def test_a_read_back_is_unbuffered_in_aligned_whole_sectors(
    windows: WindowsPlatform, kernel32: FakeKernel32, written: tuple[Path, bytes]
) -> None:
    path, data = written
    assert cold_read(windows, path)[1] == data
    [(_, name, access, _share, disposition, flags)] = kernel32.named("CreateFileW")
    assert name == extended(path) and name.startswith("\\\\?\\")
    assert access == GENERIC_READ and disposition == OPEN_EXISTING
    assert flags & FILE_FLAG_NO_BUFFERING
    reads = kernel32.named("ReadFile")
    assert len(reads) >= 3  # two full chunks, the tail, the empty read at the end
    for _, _handle, address, length in reads:
        assert address % SECTOR == 0 and length % SECTOR == 0
    assert len(kernel32.named("CloseHandle")) == 1 and not kernel32.handles


def test_an_unaligned_or_tiny_buffer_is_refused_before_any_read(
    windows: WindowsPlatform, kernel32: FakeKernel32, written: tuple[Path, bytes]
) -> None:
    path, _ = written
    buffer = memoryview(mmap.mmap(-1, 4 * SECTOR))
    with windows.open_readback(path) as source:
        with pytest.raises(ValueError, match="page-aligned"):
            source.readinto(buffer[1:])
        with pytest.raises(ValueError, match="at least"):
            source.readinto(buffer[: SECTOR - 1])
    assert kernel32.named("ReadFile") == []


def test_a_missing_file_is_file_not_found(windows: WindowsPlatform, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        windows.open_readback(tmp_path / "gone.dav")


def test_publish_moves_without_replacing(
    windows: WindowsPlatform, kernel32: FakeKernel32, tmp_path: Path
) -> None:
    partial, final = publish_twice(windows, tmp_path)
    for _, source, target, flags in kernel32.named("MoveFileExW"):
        assert not flags & MOVEFILE_REPLACE_EXISTING
        assert flags & MOVEFILE_WRITE_THROUGH
        assert source == extended(partial) and target == extended(final)


def test_fsync_flushes_the_descriptors_handle(
    windows: WindowsPlatform, kernel32: FakeKernel32, tmp_path: Path
) -> None:
    fd = sync_new_file(windows, tmp_path / "a.dav")
    assert kernel32.named("FlushFileBuffers") == [("FlushFileBuffers", 0x2000 + fd)]


def test_extended_paths_keep_unc_shares_and_never_double_the_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os.path, "abspath", ntpath.abspath)  # Windows path rules, briefly
    assert extended("C:\\cases\\..\\cases\\a.dav") == "\\\\?\\C:\\cases\\a.dav"
    assert extended("\\\\nas\\evidence\\a.dav") == "\\\\?\\UNC\\nas\\evidence\\a.dav"
    assert extended("\\\\?\\C:\\cases\\a.dav") == "\\\\?\\C:\\cases\\a.dav"


def test_a_verified_copy_runs_through_the_windows_calls(
    source: Path, plan_for, kernel32: FakeKernel32, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(platform, "SYSTEM", WindowsPlatform(windows_api(kernel32)))
    plan = plan_for([source], also_to=[tmp_path / "working"])
    report = run_copy(plan)
    assert report.outcome == "completed", report.mismatches()
    assert report.read_back_cache_free
    copied = [row for row in report.rows if row.status == "verified"]
    assert len(copied) == len(plan.items)
    for row in copied:
        assert blake3.blake3(row.destination.read_bytes()).hexdigest() == row.hashes["blake3"]
    opened = {Path(call[1][4:]) for call in kernel32.named("CreateFileW")}
    assert opened >= {row.destination for row in copied}  # every copy read back unbuffered
    moves = kernel32.named("MoveFileExW")
    assert {Path(call[2][4:]) for call in moves} >= {row.destination for row in copied}
    assert not any(call[3] & MOVEFILE_REPLACE_EXISTING for call in moves)
    assert kernel32.named("FlushFileBuffers")  # no syncfs on Windows: each file flushed

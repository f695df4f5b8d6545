"""Big files read back region by region while written: verified only when every region and
the fsync are done, and every fault in a region fails that file alone, leaving no `.partial`."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from workbench.events import CancelToken
from workbench.hashing import partial, platform, regions
from workbench.hashing.platform import Regions
from workbench.hashing.platform.libc import LibC
from workbench.hashing.platform.linux import LinuxPlatform
from workbench.processing import CopyReport, engine, run_copy

pytestmark = pytest.mark.native  # range write-back and read-back are Linux calls

REGION = 16 << 20
SIZE = 40 << 20  # regions [0, 16), [16, 32), [32, 40) MiB; chunks of 8 MiB


@pytest.fixture
def dropped(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Stream files of one region or more; record (file, offset, length) of each region."""
    monkeypatch.setattr(engine, "STREAM_BYTES", REGION)
    monkeypatch.setattr(regions, "REGION_SIZE", REGION)
    seen: list[tuple[str, int, int]] = []
    real = regions.drop_range

    def record(found: Regions, fd: int, path: Path, offset: int, length: int) -> None:
        seen.append((str(path), offset, length))
        real(found, fd, path, offset, length)

    monkeypatch.setattr(regions, "drop_range", record)
    return seen


@pytest.fixture
def big_source(source: Path) -> Path:
    with (source / "big.dav").open("wb") as handle:
        handle.truncate(SIZE)  # sparse: no disk used for the source itself
        handle.seek(SIZE - 4)
        handle.write(b"tail")
    return source


def big_rows(report: CopyReport) -> dict[str, tuple[str, str | None]]:
    return {row.role: (row.status, row.error.type if row.error else None)
            for row in report.rows if row.relative.name == "big.dav"}


def partials(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*.partial")]


def test_every_region_of_each_destination_is_read_back_while_written(
    tmp_path: Path, big_source: Path, plan_for, dropped: list[tuple[str, int, int]]
) -> None:
    plan = plan_for([big_source], also_to=[tmp_path / "working"])
    report = run_copy(plan)
    assert report.outcome == "completed", report.mismatches()
    assert big_rows(report) == {"master": ("verified", None), "working": ("verified", None)}
    for case_dir in plan.destinations:
        copy = case_dir / "export" / "big.dav"
        assert copy.stat().st_size == SIZE and copy.read_bytes()[-4:] == b"tail"
        assert sorted((offset, length) for path, offset, length in dropped
                      if path == str(copy) + ".partial") == [
            (0, REGION), (REGION, REGION), (2 * REGION, SIZE - 2 * REGION)]
    assert all(path.endswith("big.dav.partial") for path, _, _ in dropped)  # small: batched
    assert not partials(*plan.destinations)


def test_a_bit_flipped_in_the_middle_region_is_a_mismatch(
    tmp_path: Path, big_source: Path, plan_for, dropped: list[tuple[str, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    working = tmp_path / "working"
    real = regions.drop_range

    def rot_then_drop(found: Regions, fd: int, path: Path, offset: int, length: int) -> None:
        if path.is_relative_to(working) and offset == REGION:
            rot = os.open(path, os.O_WRONLY)
            try:
                os.pwrite(rot, b"\x01", offset + length // 2)
                os.fsync(rot)
            finally:
                os.close(rot)
        real(found, fd, path, offset, length)

    monkeypatch.setattr(regions, "drop_range", rot_then_drop)
    plan = plan_for([big_source], also_to=[working])
    report = run_copy(plan)
    assert big_rows(report) == {"master": ("verified", None),
                                "working": ("mismatch", "HashMismatch")}
    bad = next(row for row in report.rows if row.role == "working" and row.status == "mismatch")
    assert bad.error is not None and bad.error.expected == bad.hashes["blake3"]
    assert not bad.destination.exists()
    assert not partials(*plan.destinations)


def test_cancel_in_the_middle_of_a_region_leaves_no_partial(
    tmp_path: Path, big_source: Path, plan_for, dropped: list[tuple[str, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = CancelToken()
    real = partial.write_all
    writes: list[int] = []

    def cancel_mid_region(fd: int, data: memoryview) -> None:
        real(fd, data)
        if Path(f"/proc/self/fd/{fd}").readlink().name == "big.dav.partial":
            writes.append(len(data))
            if sum(writes) == REGION + REGION // 2:  # half way through the second region
                token.cancel()

    monkeypatch.setattr(partial, "write_all", cancel_mid_region)
    plan = plan_for([big_source], also_to=[tmp_path / "working"])
    report = run_copy(plan, cancel=token, workers=1)
    assert report.outcome == "cancelled"
    assert set(big_rows(report).values()) == {("cancelled", "Cancelled")}
    assert not partials(*plan.destinations)
    assert not any((case_dir / "export" / "big.dav").exists() for case_dir in plan.destinations)

    monkeypatch.setattr(partial, "write_all", real)
    assert run_copy(plan).outcome == "completed"  # the same plan resumes


def test_no_space_in_a_late_region_fails_that_destination_alone(
    tmp_path: Path, big_source: Path, plan_for, dropped: list[tuple[str, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    working = tmp_path / "working"
    real = partial.write_all
    written: dict[int, int] = {}

    def full_late(fd: int, data: memoryview) -> None:
        path = Path(f"/proc/self/fd/{fd}").readlink()
        if path.is_relative_to(working) and path.name == "big.dav.partial":
            if written.setdefault(fd, 0) >= 2 * REGION:  # the third, last region
                raise OSError(errno.ENOSPC, "No space left on device")
            written[fd] += len(data)
        real(fd, data)

    monkeypatch.setattr(partial, "write_all", full_late)
    plan = plan_for([big_source], also_to=[working])
    report = run_copy(plan)
    assert big_rows(report) == {"master": ("verified", None), "working": ("error", "DiskFull")}
    assert {row.status for row in report.rows if row.relative.name != "big.dav"} == {"verified"}
    assert not partials(*plan.destinations)


def test_a_write_back_error_in_a_region_fails_the_file_with_a_typed_error(
    tmp_path: Path, big_source: Path, plan_for, dropped: list[tuple[str, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = platform.SYSTEM.regions
    assert found is not None
    real = found.flush
    working = tmp_path / "working"

    def failing_flush(fd: int, offset: int, length: int) -> None:
        if offset == REGION and Path(f"/proc/self/fd/{fd}").readlink().is_relative_to(working):
            raise OSError(errno.EIO, "Input/output error")
        real(fd, offset, length)

    monkeypatch.setattr(found, "flush", failing_flush)
    plan = plan_for([big_source], also_to=[working])
    report = run_copy(plan)
    assert big_rows(report) == {"master": ("verified", None), "working": ("error", "IoError")}
    bad = next(row for row in report.rows if row.role == "working" and row.status == "error")
    assert bad.error is not None and bad.error.type == "IoError"
    assert bad.error.operation == "write back"
    assert f"region at byte {REGION}" in bad.error.detail
    assert not partials(*plan.destinations)


def test_without_sync_file_range_a_big_file_is_read_back_after_its_write(
    big_source: Path, plan_for, dropped: list[tuple[str, int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class NoRangeSync(LibC):
        def has(self, name: str) -> bool:
            return name != "sync_file_range" and super().has(name)

    older = LinuxPlatform(NoRangeSync())
    assert older.regions is None
    monkeypatch.setattr(platform, "SYSTEM", older)
    report = run_copy(plan_for([big_source]))
    assert report.outcome == "completed" and report.read_back_cache_free
    assert dropped == []  # today's path: written, synced, then read back whole

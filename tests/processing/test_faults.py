"""Fault injection: every failure becomes a typed row, fails only its own destination,
and never leaves a `.partial` or an unverified copy behind."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.events import CancelToken
from workbench.hashing import partial, readback
from workbench.hashing.platform import FileSource
from workbench.hashing.stream import CHUNK_SIZE
from workbench.processing import CopyReport, run_copy

WriteAll = Callable[[int, memoryview], None]


def fd_path(fd: int) -> Path:
    return Path(f"/proc/self/fd/{fd}").readlink()


def partials(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*.partial")]


def statuses(report: CopyReport) -> dict[tuple[str, str], str]:
    return {(row.role, row.relative.as_posix()): row.status for row in report.rows}


def error_types(report: CopyReport, role: str) -> set[str]:
    return {row.error.type for row in report.rows if row.role == role and row.error}


def inject_write(monkeypatch: pytest.MonkeyPatch, fault: Callable[[Path, memoryview], None]
                 ) -> None:
    """Call `fault(partial path, chunk)` before each real write of a chunk."""
    real: WriteAll = partial.write_all

    def write_all(fd: int, data: memoryview) -> None:
        fault(fd_path(fd), data)
        real(fd, data)

    monkeypatch.setattr(partial, "write_all", write_all)


def test_a_bit_flipped_on_the_way_to_disk_is_a_mismatch(
    source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    real: WriteAll = partial.write_all

    def flipping(fd: int, data: memoryview) -> None:
        if fd_path(fd).name == "b.dav.partial":
            changed = bytearray(data)
            changed[100] ^= 0x01
            data = memoryview(changed)
        real(fd, data)

    monkeypatch.setattr(partial, "write_all", flipping)
    plan = plan_for([source])
    report = run_copy(plan)

    bad = next(row for row in report.rows if row.relative.name == "b.dav")
    assert bad.status == "mismatch"
    assert bad.error is not None and bad.error.type == "HashMismatch"
    assert bad.error.expected == bad.hashes["blake3"] != bad.error.actual
    assert not bad.destination.exists()  # an unverified copy is removed
    assert report.outcome == "completed_with_errors"
    assert {row.status for row in report.rows if row != bad} == {"verified"}
    mismatches = report.mismatches()
    assert mismatches["relative"].tolist() == ["export/CAM01/b.dav"]
    assert mismatches["expected"].tolist() == [bad.error.expected]


def test_a_bit_flipped_on_one_destination_after_sync_is_caught_only_there(
    tmp_path: Path, source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = readback.open_cold
    working = tmp_path / "working"

    def rot_then_open(path: Path) -> FileSource:
        if path.is_relative_to(working) and path.name == "a.dav":
            with path.open("r+b") as handle:
                handle.seek(10)
                handle.write(b"Z")
                handle.flush()
                os.fsync(handle.fileno())
        return real(path)

    monkeypatch.setattr(readback, "open_cold", rot_then_open)
    report = run_copy(plan_for([source], also_to=[working]))
    result = statuses(report)
    assert result[("working", "export/CAM01/a.dav")] == "mismatch"
    assert result[("master", "export/CAM01/a.dav")] == "verified"
    assert [status for status in result.values()].count("verified") == 7


def test_a_source_modified_during_the_copy_is_discarded(
    source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = source / "CAM01" / "b.dav"

    def grow_source(partial: Path, chunk: memoryview) -> None:
        if partial.name == "b.dav.partial" and target.stat().st_size == 70_000:
            with target.open("ab") as handle:
                handle.write(b"more")

    inject_write(monkeypatch, grow_source)
    plan = plan_for([source])
    report = run_copy(plan)
    row = next(row for row in report.rows if row.relative.name == "b.dav")
    assert row.status == "error"
    assert row.error is not None and row.error.type == "SourceChanged"
    assert (row.error.expected_size, row.error.actual_size) == (70_000, 70_004)
    assert not row.destination.exists()
    assert not partials(plan.destination)


def test_a_source_removed_after_planning_fails_only_its_row(source: Path, plan_for) -> None:
    plan = plan_for([source])
    (source / "info.txt").unlink()
    report = run_copy(plan)
    result = {row.relative.name: (row.status, row.error.type if row.error else None)
              for row in report.rows}
    assert result["info.txt"] == ("error", "PathNotFound")
    assert {status for name, (status, _) in result.items() if name != "info.txt"} == {"verified"}


def test_a_full_destination_fails_alone(
    tmp_path: Path, source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = tmp_path / "working"

    def full(partial: Path, chunk: memoryview) -> None:
        if partial.is_relative_to(working) and partial.name == "b.dav.partial":
            raise OSError(errno.ENOSPC, "No space left on device")

    inject_write(monkeypatch, full)
    plan = plan_for([source], also_to=[working])
    report = run_copy(plan)
    result = statuses(report)
    assert result[("working", "export/CAM01/b.dav")] == "error"
    assert error_types(report, "working") == {"DiskFull"}
    assert error_types(report, "master") == set()
    assert [status for status in result.values()].count("verified") == 7
    assert not partials(*plan.destinations)


def test_permission_denied_on_a_destination_and_on_a_source(
    tmp_path: Path, source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    working = tmp_path / "working"
    locked_source = source / "CAM01" / "a.dav"

    def denied(partial: Path, chunk: memoryview) -> None:
        if partial.is_relative_to(working) and partial.name == "info.txt.partial":
            raise PermissionError(errno.EACCES, "Permission denied")

    inject_write(monkeypatch, denied)
    real_open = os.open

    def open_(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if Path(path) == locked_source:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    report = run_copy(plan_for([source], also_to=[working]))
    failures = {(row.role, row.relative.name): row.error.type for row in report.rows if row.error}
    assert failures == {
        ("master", "a.dav"): "PermissionDenied",
        ("working", "a.dav"): "PermissionDenied",
        ("working", "info.txt"): "PermissionDenied",
    }


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (needs root and mount); skipped where it cannot be mounted."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True, check=False,
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_really_full_drive_fails_only_its_rows(
    tiny_tmpfs: Path, source: Path, plan_for
) -> None:
    plan = plan_for([source], also_to=[tiny_tmpfs])
    report = run_copy(plan)
    assert "DiskFull" in error_types(report, "working")
    assert error_types(report, "master") == set()
    assert all(row.status == "verified" for row in report.rows if row.role == "master")
    assert not partials(*plan.destinations)


def test_cancel_mid_file_removes_partials_and_a_re_run_resumes(
    tmp_path: Path, source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (source / "big.dav").open("wb") as handle:
        handle.truncate(5 * CHUNK_SIZE)  # sparse: several chunks, no disk use
    working = tmp_path / "working"
    token = CancelToken()
    chunks: list[int] = []

    def cancel_in_the_big_file(partial: Path, chunk: memoryview) -> None:
        if partial.name == "big.dav.partial":
            chunks.append(len(chunk))
            token.cancel()

    inject_write(monkeypatch, cancel_in_the_big_file)
    plan = plan_for([source], also_to=[working])
    report = run_copy(plan, cancel=token, workers=1)

    assert report.outcome == "cancelled"
    # per destination: the chunk in flight and at most the one read ahead; never the rest
    assert len(chunks) in (2, 4), chunks
    result = statuses(report)
    assert result[("master", "export/big.dav")] == result[("working", "export/big.dav")] == (
        "cancelled")
    assert not partials(*plan.destinations)
    for row in report.rows:
        assert row.destination.exists() == (row.status == "verified")
    custody = (plan.destination / "_evidence" / "custody.jsonl").read_text().splitlines()
    assert json.loads(custody[-1])["outcome"] == "cancelled"

    monkeypatch.undo()
    rerun = run_copy(plan)  # the same plan resumes
    assert rerun.outcome == "completed"
    assert {row.status for row in rerun.rows} <= {"verified", "skipped"}
    assert (plan.destination / "export" / "big.dav").stat().st_size == 5 * CHUNK_SIZE


def test_cancel_before_the_run_copies_nothing(source: Path, plan_for) -> None:
    token = CancelToken()
    token.cancel()
    plan = plan_for([source])
    report = run_copy(plan, cancel=token)
    assert report.outcome == "cancelled"
    assert {row.status for row in report.rows} == {"cancelled"}
    assert not (plan.destination / "export").exists()


def test_a_source_that_keeps_growing_is_not_read_forever(
    source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = source / "CAM01" / "b.dav"

    def live_recording(partial: Path, chunk: memoryview) -> None:
        if partial.name == "b.dav.partial":
            with target.open("ab") as handle:
                handle.write(b"frame")

    inject_write(monkeypatch, live_recording)
    report = run_copy(plan_for([source]))
    row = next(row for row in report.rows if row.relative.name == "b.dav")
    assert row.error is not None and row.error.type == "SourceChanged"

"""Hostile file systems (#19 item 8): a destination made immutable (`chattr +i`) and an ext4
file system shut down mid-copy (`EXT4_IOC_SHUTDOWN`) give typed rows and record errors,
never a raw `OSError`, and the run leaves no `.partial` it could have removed. Root only."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.hashing import partial
from workbench.processing import CopyReport, run_copy

EXT4_IOC_SHUTDOWN = 0x8004587D
"""`_IOR('X', 125, __u32)`: take an ext4 file system down as if its disk failed."""
EXT4_GOING_FLAGS_NOLOGFLUSH = 2


@pytest.fixture
def ext4(tmp_path: Path) -> Iterator[Path]:
    """A small loop-mounted ext4 file system, read-write (root only)."""
    if not sys.platform.startswith("linux") or shutil.which("mkfs.ext4") is None:
        pytest.skip("needs Linux and e2fsprogs' mkfs.ext4")
    if os.geteuid() != 0:
        pytest.skip("loop-mounting needs root")
    image, point = tmp_path / "disk.img", tmp_path / "disk"
    with image.open("wb") as handle:
        handle.truncate(64 << 20)
    subprocess.run(["mkfs.ext4", "-q", str(image)], check=True)
    point.mkdir()
    done = subprocess.run(["mount", "-o", "loop", str(image), str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"loop-mounting an image is not permitted here: {done.stderr.strip()}")
    yield point
    subprocess.run(["chattr", "-R", "-i", str(point)], capture_output=True)
    subprocess.run(["umount", "-l", str(point)], check=True)


def error_types(report: CopyReport) -> set[str]:
    return {row.error.type for row in report.rows if row.error is not None}


def test_an_immutable_destination_folder_gives_typed_rows(
        ext4: Path, source: Path, plan_for) -> None:
    plan = plan_for([source], root=ext4 / "cases")
    folder = plan.destination / "export" / "CAM01"
    folder.mkdir(parents=True)
    subprocess.run(["chattr", "+i", str(folder)], check=True)

    report = run_copy(plan)

    blocked = [row for row in report.rows if row.relative.parent.name == "CAM01"]
    assert {row.status for row in blocked} == {"error"}
    assert {row.error.type for row in blocked if row.error} == {"PermissionDenied"}
    assert {row.status for row in report.rows if row not in blocked} == {"verified"}
    assert report.outcome == "completed_with_errors"
    assert not list(plan.destination.rglob("*.partial"))


def test_an_immutable_evidence_record_gives_typed_record_errors(
        ext4: Path, source: Path, plan_for) -> None:
    plan = plan_for([source], root=ext4 / "cases")
    run_copy(plan)
    (source / "late.dav").write_bytes(b"late")
    subprocess.run(["chattr", "+i", str(plan.destination / "_evidence")], check=True)

    try:
        report = run_copy(plan_for([source], root=ext4 / "cases"))
    except WorkbenchError as exc:  # refused before copying: typed, and nothing half-written
        assert exc.payload.type == "PermissionDenied"
        assert not (plan.destination / "export" / "late.dav").exists()
    else:
        assert report.outcome == "completed_with_errors"
        assert report.record_errors
        assert {error.type for error in report.record_errors} <= {"PermissionDenied"}


def six_clips(tmp_path: Path) -> Path:
    source = tmp_path / "export"
    source.mkdir()
    for index in range(6):
        (source / f"clip{index}.dav").write_bytes(os.urandom(1 << 20))
    return source


def on_third_write(monkeypatch: pytest.MonkeyPatch, fault: Callable[[], None]) -> None:
    """Run `fault()` just before the third chunk is written (the third file's first)."""
    real = partial.write_all
    written = [0]

    def faulty(fd: int, data: memoryview) -> None:
        written[0] += 1
        if written[0] == 3:
            fault()
        real(fd, data)

    monkeypatch.setattr(partial, "write_all", faulty)


def test_a_file_system_shut_down_mid_copy_gives_typed_errors(
        ext4: Path, tmp_path: Path, plan_for, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plan_for([six_clips(tmp_path)], root=ext4 / "cases")

    def shut_down() -> None:  # the disk "fails"
        with open(ext4, "rb") as handle:  # noqa: PTH123 - an ioctl needs a descriptor
            fcntl.ioctl(handle.fileno(), EXT4_IOC_SHUTDOWN,
                        EXT4_GOING_FLAGS_NOLOGFLUSH.to_bytes(4, sys.byteorder))

    on_third_write(monkeypatch, shut_down)

    report = run_copy(plan, workers=1)

    assert report.outcome == "completed_with_errors"
    failed = [row for row in report.rows if row.status != "verified"]
    assert failed, report.to_frame()
    assert {row.status for row in failed} <= {"error"}
    assert error_types(report) <= {"IoError", "PermissionDenied"}, report.to_frame()
    assert {error.type for error in report.record_errors} <= {"IoError", "PermissionDenied"}


def test_a_folder_made_immutable_mid_copy_is_typed_and_finished_by_the_next_run(
        ext4: Path, tmp_path: Path, plan_for, monkeypatch: pytest.MonkeyPatch) -> None:
    source = six_clips(tmp_path)
    plan = plan_for([source], root=ext4 / "cases")
    folder = plan.destination / "export"
    # a partial is open in it: it can be neither renamed nor removed
    on_third_write(monkeypatch, lambda: subprocess.run(["chattr", "+i", str(folder)], check=True))
    report = run_copy(plan, workers=1)  # typed, never a raw OSError
    monkeypatch.undo()

    assert report.outcome == "completed_with_errors"
    # IoError where the portable link-then-unlink publish reads EPERM as "cannot link here"
    assert error_types(report) <= {"PermissionDenied", "IoError"}, report.to_frame()
    subprocess.run(["chattr", "-i", str(folder)], check=True)

    again = run_copy(plan_for([source], root=ext4 / "cases"))  # the same process

    assert again.outcome == "completed", again.to_frame()
    assert {row.status for row in again.rows} <= {"verified", "skipped"}
    assert not list(plan.destination.rglob("*.partial"))

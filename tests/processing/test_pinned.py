"""Sources pinned from plan to read (#19 item 2): a source swapped between plan and copy for a
symlink, a FIFO, or rewritten with its mtime put back is never `verified`, and never blocks."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from workbench.events import CancelToken
from workbench.processing import CopyReport, run_copy


def row_of(report: CopyReport, name: str):  # type: ignore[no-untyped-def]
    return next(row for row in report.rows if row.relative.name == name)


def test_a_source_swapped_for_a_symlink_to_an_outside_file_is_source_changed(
        tmp_path: Path, source: Path, plan_for) -> None:
    victim = source / "CAM01" / "a.dav"
    outside = tmp_path / "outside.dav"
    outside.write_bytes(b"B" * victim.stat().st_size)
    plan = plan_for([source])
    info = victim.stat()
    os.utime(outside, ns=(info.st_atime_ns, info.st_mtime_ns))
    victim.unlink()
    victim.symlink_to(outside)

    report = run_copy(plan)

    row = row_of(report, "a.dav")
    assert row.status == "error" and row.error is not None and row.error.type == "SourceChanged"
    assert not row.destination.exists()
    assert report.outcome == "completed_with_errors"
    assert row_of(report, "b.dav").status == "verified"


def test_a_symlink_inside_the_source_planned_as_its_file_still_copies(
        source: Path, plan_for) -> None:
    (source / "link.dav").symlink_to(source / "CAM01" / "b.dav")
    report = run_copy(plan_for([source]))
    row = row_of(report, "link.dav")
    assert row.status == "verified", row.error
    assert row.destination.read_bytes() == (source / "CAM01" / "b.dav").read_bytes()


def test_a_source_swapped_for_a_fifo_never_blocks_the_copy(source: Path, plan_for) -> None:
    victim = source / "CAM01" / "a.dav"
    plan = plan_for([source])
    victim.unlink()
    os.mkfifo(victim)
    done: list[CopyReport] = []
    worker = threading.Thread(target=lambda: done.append(run_copy(plan, cancel=CancelToken())),
                              daemon=True)
    worker.start()
    worker.join(30)
    assert done, "the copy blocked on a FIFO"
    row = row_of(done[0], "a.dav")
    assert row.status == "error" and row.error is not None and row.error.type == "SourceChanged"
    assert "fifo" in row.error.describe()


def test_a_source_rewritten_with_its_mtime_restored_is_source_changed(
        source: Path, plan_for) -> None:
    victim = source / "CAM01" / "b.dav"
    plan = plan_for([source])
    info = victim.stat()
    data = bytearray(victim.read_bytes())
    data[0] ^= 0xFF
    with victim.open("r+b") as handle:  # same inode, same size, same mtime: only ctime moves
        handle.write(bytes(data[:1]))
    os.utime(victim, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert victim.stat().st_mtime_ns == info.st_mtime_ns

    report = run_copy(plan)

    row = row_of(report, "b.dav")
    assert row.status == "error" and row.error is not None and row.error.type == "SourceChanged"
    assert "ctime" in row.error.describe()
    assert not row.destination.exists()


def test_a_source_rewritten_during_the_read_is_source_changed(
        source: Path, plan_for, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.hashing import partial

    victim = source / "CAM01" / "b.dav"
    info = victim.stat()
    real = partial.write_all

    def rewriting(fd: int, data: memoryview) -> None:
        if Path(f"/proc/self/fd/{fd}").readlink().name == "b.dav.partial":
            with victim.open("r+b") as handle:
                handle.write(b"\0")
            os.utime(victim, ns=(info.st_atime_ns, info.st_mtime_ns))
        real(fd, data)

    plan = plan_for([source])
    monkeypatch.setattr(partial, "write_all", rewriting)
    row = row_of(run_copy(plan), "b.dav")
    assert row.status == "error" and row.error is not None and row.error.type == "SourceChanged"

"""The verified copy end to end: digests, times, names, no-clobber, re-runs, two destinations."""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

import blake3
import xxhash

from workbench import events
from workbench.evidence.mhl import MHL_DIR
from workbench.processing import CopyReport, run_copy

FilesUnder = Callable[[Path], set[str]]


def test_every_file_is_verified_with_independent_digests(source: Path, plan_for) -> None:
    plan = plan_for([source], algorithms=["sha256", "md5", "sha1", "xxh128"])
    report = run_copy(plan)

    assert report.outcome == "completed"
    assert {row.status for row in report.rows} == {"verified"}
    for row in report.rows:
        data = row.source.read_bytes()
        assert row.destination.read_bytes() == data
        assert row.hashes == {
            "blake3": blake3.blake3(data).hexdigest(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "md5": hashlib.md5(data).hexdigest(),
            "sha1": hashlib.sha1(data).hexdigest(),
            "xxh128": xxhash.xxh128(data).hexdigest(),
        }
        assert row.destination.stat().st_mtime_ns == row.source.stat().st_mtime_ns


def test_folders_keep_their_name_and_files_land_in_the_case_folder(
    source: Path, plan_for, files_under: FilesUnder
) -> None:
    plan = plan_for([source, source / "info.txt"])
    assert plan.to_frame().loc[:, "relative"].tolist() == [
        "export/CAM01/a.dav", "export/CAM01/b.dav", "export/CAM02/c.dav", "export/info.txt",
        "info.txt",
    ]
    run_copy(plan)
    copied = files_under(plan.destination) - {
        name for name in files_under(plan.destination) if name.startswith(("_evidence/", MHL_DIR))
    }
    assert copied == {"export/CAM01/a.dav", "export/CAM01/b.dav", "export/CAM02/c.dav",
                      "export/info.txt", "info.txt"}
    assert not [p for p in plan.destination.rglob("*.partial")]


def test_zero_byte_and_unicode_names(tmp_path: Path, plan_for) -> None:
    root = tmp_path / "ünïcode export"
    names = [
        unicodedata.normalize("NFC", "café.dav"),
        unicodedata.normalize("NFD", "café.dav"),
        "two  spaces .dav",
        "line\nbreak.dav",
        "back\\slash.dav",
        "empty.dav",
    ]
    root.mkdir()
    for index, name in enumerate(names):
        (root / name).write_bytes(b"" if name == "empty.dav" else bytes([index]) * 100)
    report = run_copy(plan_for([root]))
    assert report.outcome == "completed"
    assert len(report.rows) == len(names)
    assert {row.destination.name for row in report.rows} == set(names)
    assert all(row.destination.read_bytes() == row.source.read_bytes() for row in report.rows)


def test_an_existing_different_file_is_a_conflict_and_left_untouched(
    source: Path, plan_for
) -> None:
    plan = plan_for([source])
    squatter = plan.destination / "export" / "info.txt"
    squatter.parent.mkdir(parents=True)
    squatter.write_bytes(b"not the evidence\n")  # different size
    same_size = plan.destination / "export" / "CAM01" / "a.dav"
    same_size.parent.mkdir(parents=True)
    same_size.write_bytes(b"B" * 5000)

    plan = plan_for([source])
    actions = {item.relative.as_posix(): item.action for item in plan.items}
    assert actions["export/info.txt"] == "conflict"
    assert actions["export/CAM01/a.dav"] == "recheck"  # same size: read by the copy, not the plan

    report = run_copy(plan)
    assert report.outcome == "completed_with_errors"
    conflicts = [row for row in report.rows if row.error and row.error.type == "Conflict"]
    assert len(conflicts) == 2
    assert squatter.read_bytes() == b"not the evidence\n"
    assert same_size.read_bytes() == b"B" * 5000


def test_a_file_appearing_between_plan_and_copy_is_never_replaced(
    source: Path, plan_for
) -> None:
    plan = plan_for([source / "info.txt"])
    late = plan.destination / "info.txt"
    late.parent.mkdir(parents=True)
    late.write_bytes(b"arrived late")
    report = run_copy(plan)
    assert report.rows[0].status == "error"
    assert report.rows[0].error is not None and report.rows[0].error.type == "Conflict"
    assert late.read_bytes() == b"arrived late"
    assert not late.with_name("info.txt.partial").exists()


def test_a_re_run_skips_what_is_verified_and_copies_the_rest(source: Path, plan_for) -> None:
    first = run_copy(plan_for([source]))
    (source / "CAM02" / "new.dav").write_bytes(b"new footage")

    plan = plan_for([source])
    actions = {item.relative.as_posix(): item.action for item in plan.items}
    assert actions.pop("export/CAM02/new.dav") == "copy"
    assert set(actions.values()) == {"skip"}
    skipped = next(item for item in plan.items if item.action == "skip")
    assert skipped.hashes["blake3"] == next(
        row.hashes["blake3"] for row in first.rows if row.relative == skipped.relative
    )
    report = run_copy(plan)
    assert [row.status for row in report.rows].count("verified") == 1
    assert report.outcome == "completed"


def test_a_copied_file_without_a_manifest_entry_is_re_verified_and_its_manifest_rebuilt(
    source: Path, plan_for
) -> None:
    run_copy(plan_for([source]))
    plan = plan_for([source])
    manifest = plan.destination / "_evidence" / "manifest.blake3"
    before = manifest.read_bytes()
    manifest.unlink()
    again = plan_for([source])
    assert {item.action for item in again.items} == {"recheck"}
    report = run_copy(again)
    assert {row.status for row in report.rows} == {"verified"}, report.to_frame()
    assert manifest.read_bytes() == before


def test_two_destinations_each_get_verified_copies_and_their_own_record(
    tmp_path: Path, source: Path, plan_for
) -> None:
    plan = plan_for([source], also_to=[tmp_path / "working"])
    assert [target.role for target in plan.targets] == ["master", "working"]
    frame = plan.to_frame()
    assert sorted(set(frame["role"])) == ["master", "working"]

    reads: list[int] = []
    report = run_copy(plan, on_progress=lambda event: reads.append(event.bytes_done))
    assert report.outcome == "completed"
    assert len(report.rows) == 2 * 4
    total = sum(item.size for item in plan.items if item.role == "master")
    assert reads[-1] == total  # each source byte counted once, not per destination
    for case_dir in plan.destinations:
        assert (case_dir / "_evidence" / "manifest.blake3").is_file()
        assert (case_dir / "_evidence" / "custody.jsonl").is_file()
        assert (case_dir / "export" / "CAM01" / "b.dav").read_bytes() == (
            source / "CAM01" / "b.dav").read_bytes()


def test_re_run_skips_per_destination(tmp_path: Path, source: Path, plan_for) -> None:
    run_copy(plan_for([source]))
    plan = plan_for([source], also_to=[tmp_path / "working"])
    by_role = {(item.role, item.action) for item in plan.items}
    assert by_role == {("master", "skip"), ("working", "copy")}
    report = run_copy(plan)
    assert {(row.role, row.status) for row in report.rows} == {
        ("master", "skipped"), ("working", "verified"),
    }


def test_seal_master_makes_only_the_master_read_only(
    tmp_path: Path, source: Path, plan_for
) -> None:
    report = run_copy(plan_for([source], also_to=[tmp_path / "working"]), seal_master=True)
    for row in report.rows:
        writable = bool(row.destination.stat().st_mode & stat.S_IWUSR)
        assert writable == (row.role == "working")


def test_finished_event_carries_the_report(source: Path, plan_for) -> None:
    seen: list[CopyReport] = []
    unsubscribe = events.subscribe(events.PROCESSING_FINISHED, seen.append)
    try:
        report = run_copy(plan_for([source]))
    finally:
        unsubscribe()
    assert seen == [report]


def test_refused_rows_are_reported_and_the_rest_copied(tmp_path: Path, plan_for) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    (root / "ok.dav").write_bytes(b"ok")
    os.mkfifo(root / "pipe")
    report = run_copy(plan_for([root]))
    status = {row.relative.name: row.status for row in report.rows}
    assert status == {"ok.dav": "verified", "pipe": "error"}
    assert report.outcome == "completed_with_errors"


def test_running_the_same_plan_twice_skips_what_the_first_run_verified(
    source: Path, plan_for
) -> None:
    plan = plan_for([source])
    run_copy(plan)
    again = run_copy(plan)
    assert again.outcome == "completed"
    assert {row.status for row in again.rows} == {"skipped"}
    assert all(row.hashes.get("blake3") for row in again.rows)

"""Intake continues the chain: a source that arrived with another tool's record is checked
against it in the copy's one read, and the case folder's ASC MHL history carries it on."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.evidence import mhl, verify_case
from workbench.processing import CopyPlan, run_copy

PlanFor = Callable[..., CopyPlan]

ascmhl_commands = pytest.importorskip("ascmhl.commands")
click_testing = pytest.importorskip("click.testing")


def reference(command: str, *args: str | Path) -> int:
    """The reference ASC MHL tool in-process (its CLI module asks GitHub for updates)."""
    result = click_testing.CliRunner().invoke(getattr(ascmhl_commands, command),
                                              [str(arg) for arg in args])
    assert command != "create" or result.exit_code == 0, result.output
    return int(result.exit_code)


def generation_text(case_dir: Path) -> str:
    return (case_dir / mhl.MHL_DIR / mhl.read_chain(case_dir)[0].name).read_text()


def test_a_travel_drive_with_a_history_continues_it(source: Path, plan_for: PlanFor) -> None:
    reference("create", source, "-h", "xxh64")

    plan = plan_for([source])
    assert "xxh64" in plan.algorithms, "the record's algorithm joins the copy's read"
    assert [ref.kind for record in plan.source_records for ref in record.records] == ["ascmhl"]
    listed = [item for item in plan.items if item.expected]
    assert len(listed) == 4 and all(set(item.expected) == {"xxh64"} for item in listed)
    report = run_copy(plan)

    assert report.outcome == "completed"
    assert {row.status for row in report.rows} == {"verified"}
    case_dir = plan.destination
    text = generation_text(case_dir)
    assert text.count('<xxh64 action="verified"') == 4
    assert '<xxh128 action="original"' in text
    assert reference("verify", case_dir) == 0
    assert verify_case(case_dir).ok
    assert (case_dir / "export" / "ascmhl" / "ascmhl_chain.xml").is_file(), \
        "the previous tool's history travels with the files"


def test_a_file_that_differs_from_its_record_is_not_verified(source: Path,
                                                             plan_for: PlanFor) -> None:
    reference("create", source, "-h", "md5")
    (source / "CAM01" / "a.dav").write_bytes(b"A" * 4999 + b"X")

    report = run_copy(plan_for([source]))

    assert report.outcome == "completed_with_errors"
    failed = [row for row in report.rows if row.status != "verified"]
    assert [(row.relative.as_posix(), row.status) for row in failed] == [
        ("export/CAM01/a.dav", "mismatch")]
    error = failed[0].error
    assert error is not None and error.type == "RecordMismatch"
    assert error.algorithm == "md5" and error.expected != error.actual
    assert error.record.endswith("export/ascmhl")
    assert not failed[0].destination.exists(), "a file that broke the chain is not kept"
    assert list(report.mismatches()["expected"]) == [error.expected]
    assert reference("verify", report.plan.destination) != 0, \
        "the reference tool too sees that the travel drive's history lists a file not kept"


def test_files_the_record_lists_but_the_source_lacks(source: Path, plan_for: PlanFor) -> None:
    subprocess.run("md5sum CAM01/a.dav CAM01/b.dav info.txt > md5sum.txt", shell=True,
                   cwd=source, check=True)
    (source / "info.txt").unlink()

    report = run_copy(plan_for([source]))

    records = report.plan.source_records
    assert [str(path) for record in records for path in record.missing] == ["export/info.txt"]
    assert report.outcome == "completed_with_errors"
    assert report.summary()["record_missing"] == 1
    assert {row.status for row in report.rows} == {"verified"}


def test_a_checksum_list_source_is_recorded_verified_in_the_history(
        source: Path, plan_for: PlanFor) -> None:
    subprocess.run("md5sum CAM01/a.dav CAM01/b.dav CAM02/c.dav info.txt > md5sum.txt",
                   shell=True, cwd=source, check=True)

    report = run_copy(plan_for([source]))

    assert report.outcome == "completed"
    text = generation_text(report.plan.destination)
    assert text.count('<md5 action="verified"') == 4
    assert reference("verify", report.plan.destination) == 0
    custody = (report.plan.destination / "_evidence" / "custody.jsonl").read_text()
    assert '"source_records"' in custody and "md5sum.txt" in custody

"""compare_folders on two case folders: the evidence decides, the tools' own records do not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench import compare_folders
from workbench.processing import CopyPlan, run_copy


def test_master_and_working_copy_from_one_read_are_the_same(
    source: Path, tmp_path: Path, plan_for: Callable[..., CopyPlan],
) -> None:
    report = run_copy(plan_for([source], also_to=[tmp_path / "working"]))
    assert report.outcome == "completed"
    master, working = (target.destination for target in report.plan.targets)

    comparison = compare_folders(master, working)

    assert comparison.ok, comparison.differences()
    records = comparison.tool_records()
    assert len(records) and all(path.startswith(("_evidence/", "ascmhl/"))
                                for path in records["path"])
    assert (records["status"] != "same").any(), "the two run records differ, as they should"
    evidence = next(p for p in working.rglob("*.dav") if p.stat().st_size)
    evidence.write_bytes(b"tampered")
    assert not compare_folders(master, working).ok

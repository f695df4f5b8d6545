"""The audit: ok / modified / missing / extra against the manifest, from disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.errors import NotACaseFolder, ProcessingError, is_kind
from workbench.events import CancelToken
from workbench.evidence import ProgressEvent, verify_case
from workbench.processing import run_copy


def test_a_fresh_copy_audits_clean(source: Path, plan_for) -> None:
    plan = plan_for([source])
    run_copy(plan)
    events: list[ProgressEvent] = []
    report = verify_case(plan.destination, on_progress=events.append)
    assert report.ok
    assert len(report.rows) == 4
    assert events[-1].percent == 100.0
    assert report.summary()["ok"] == 4


def test_modified_missing_and_extra_files_are_found(source: Path, plan_for) -> None:
    plan = plan_for([source])
    run_copy(plan)
    case_dir = plan.destination
    (case_dir / "export" / "CAM01" / "a.dav").chmod(0o644)
    (case_dir / "export" / "CAM01" / "a.dav").write_bytes(b"A" * 4999 + b"B")
    (case_dir / "export" / "info.txt").unlink()
    (case_dir / "export" / "stray.txt").write_bytes(b"who put this here")
    (case_dir / "ascmhl" / "ignored.xml").parent.mkdir(exist_ok=True)
    (case_dir / "ascmhl" / "ignored.xml").write_bytes(b"<not evidence/>")

    report = verify_case(case_dir)
    assert not report.ok
    status = {row.path.as_posix(): row.status for row in report.rows}
    assert status == {
        "export/CAM01/a.dav": "modified",
        "export/CAM01/b.dav": "ok",
        "export/CAM02/c.dav": "ok",
        "export/info.txt": "missing",
        "export/stray.txt": "extra",
    }
    problems = report.mismatches()
    assert sorted(problems["status"]) == ["extra", "missing", "modified"]
    modified = next(row for row in report.rows if row.status == "modified")
    assert modified.expected != modified.actual

    custody = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    audit = json.loads(custody[-1])
    assert audit["event"] == "audit"
    assert audit["counts"] == {"extra": 1, "missing": 1, "modified": 1, "ok": 2}


def test_a_folder_without_a_record_is_not_a_case_folder(tmp_path: Path) -> None:
    with pytest.raises(ProcessingError) as caught:
        verify_case(tmp_path)
    assert is_kind(caught.value, NotACaseFolder)
    with pytest.raises(ProcessingError) as missing:
        verify_case(tmp_path / "nowhere")
    assert missing.value.payload.type == "PathNotFound"


def test_a_cancelled_audit_says_so(source: Path, plan_for) -> None:
    plan = plan_for([source])
    run_copy(plan)
    token = CancelToken()
    token.cancel()
    report = verify_case(plan.destination, cancel=token)
    assert report.outcome == "cancelled" and not report.ok


def test_the_audit_matches_thousands_of_files(tmp_path: Path, plan_for) -> None:
    root = tmp_path / "many"
    for index in range(2000):
        folder = root / f"d{index // 200}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{index}.bin").write_bytes(index.to_bytes(4, "big") * 64)
    plan = plan_for([root])
    run_copy(plan)
    (plan.destination / "many" / "d3" / "f600.bin").unlink()
    report = verify_case(plan.destination)  # speed: bench/ (20,000 files), never timed here
    assert len(report.rows) == 2000 and not report.ok
    assert [str(row.path) for row in report.rows if row.status != "ok"] == ["many/d3/f600.bin"]

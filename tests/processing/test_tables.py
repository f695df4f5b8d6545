"""Report tables and summaries, and the sample export."""

from __future__ import annotations

from pathlib import Path

import blake3
import pytest

from workbench.errors import ProcessingError
from workbench.evidence import verify_case
from workbench.processing import run_copy
from workbench.samples import make_sample_evidence
from workbench.samples.export import sample_contents


def test_copy_frame_summary_and_mismatches(source: Path, plan_for) -> None:
    plan = plan_for([source])
    (source / "info.txt").unlink()
    report = run_copy(plan)
    frame = report.to_frame()
    assert list(frame.columns) == ["source", "relative", "destination", "role", "size", "status",
                                   "blake3", "xxh128", "error"]
    failed = frame[frame["status"] == "error"]
    assert failed["error"].str.startswith("PathNotFound: ").all()
    summary = report.summary()
    assert (summary["verified"], summary["error"], summary["files"]) == (3, 1, 4)
    assert summary["bytes_verified"] == 75_000
    assert summary["outcome"] == "completed_with_errors"
    assert summary["duration_s"] >= 0
    mismatches = report.mismatches()
    assert mismatches["relative"].tolist() == ["export/info.txt"]
    assert mismatches["expected"].tolist() == [""]


def test_verify_frame_has_path_and_status(source: Path, plan_for) -> None:
    plan = plan_for([source])
    run_copy(plan)
    frame = verify_case(plan.destination).to_frame()
    assert list(frame.columns) == ["path", "status", "algorithm", "expected", "actual", "size"]
    assert set(frame["status"]) == {"ok"}


def test_the_sample_export_is_deterministic(tmp_path: Path) -> None:
    folder = make_sample_evidence(tmp_path / "sample")
    again = make_sample_evidence(tmp_path / "sample")  # idempotent when the bytes match
    assert folder == again
    digests = {
        path.relative_to(folder).as_posix(): blake3.blake3(path.read_bytes()).hexdigest()
        for path in folder.rglob("*") if path.is_file()
    }
    assert digests == {
        name.as_posix(): blake3.blake3(data).hexdigest() for name, data in sample_contents().items()
    }
    assert digests["CAM01/ch01_20261120_140000_143000.dav"] == (  # pinned: notebooks rely on it
        "30fe6c5c46b802b6b97021c024b1bcd08d21c36a92ff9d0715a3b8c072523d02"
    )
    assert len(digests) == 8  # seven clips of two cameras and export_info.txt


def test_the_sample_never_overwrites_a_different_file(tmp_path: Path) -> None:
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "export_info.txt").write_bytes(b"mine")
    with pytest.raises(ProcessingError) as caught:
        make_sample_evidence(tmp_path / "sample")
    assert caught.value.payload.type == "Conflict"
    assert (tmp_path / "sample" / "export_info.txt").read_bytes() == b"mine"

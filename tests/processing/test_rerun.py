"""Re-runs check, never trust (#19 items 1 and 3): a file at its destination is skipped unread
only when the record says verified and it is the very file since; otherwise it is re-read
cold, and a match is recorded (MHL included), a difference is a typed mismatch."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from workbench.evidence.audit import verify_case
from workbench.processing import engine, run_copy


def mhl_verify(case_dir: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(os.environ.get("VIRTUAL_ENV", ".venv")) / "bin" / "ascmhl-debug"
    if not tool.exists():
        tool = Path(__file__).parents[2] / ".venv" / "bin" / "ascmhl-debug"
    return subprocess.run([str(tool), "verify", str(case_dir)], capture_output=True, text=True)


def test_a_case_file_flipped_with_its_mtime_restored_is_a_mismatch_not_skipped(
        source: Path, plan_for) -> None:
    plan = plan_for([source])
    run_copy(plan)
    case_file = plan.destination / "export" / "CAM01" / "b.dav"
    info = case_file.stat()
    original = case_file.read_bytes()
    with case_file.open("r+b") as handle:
        handle.seek(10)
        handle.write(bytes([original[10] ^ 1]))
    os.utime(case_file, ns=(info.st_atime_ns, info.st_mtime_ns))

    report = run_copy(plan)

    row = next(row for row in report.rows if row.relative.name == "b.dav")
    assert row.status == "mismatch" and row.error is not None
    assert row.error.type == "HashMismatch"
    assert case_file.exists(), "evidence already there is never removed"
    assert report.outcome == "completed_with_errors"
    assert {r.status for r in report.rows if r.relative != row.relative} == {"skipped"}


def test_a_re_run_of_a_complete_record_skips_without_reading(
        source: Path, plan_for, monkeypatch: pytest.MonkeyPatch) -> None:
    run_copy(plan_for([source]))

    def refuse(item: object) -> int:
        raise AssertionError("a verified, unchanged file was read again")

    monkeypatch.setattr(engine, "open_source", refuse)
    report = run_copy(plan_for([source]))
    assert {row.status for row in report.rows} == {"skipped"}


def test_files_published_but_never_recorded_are_re_verified_and_recorded(
        source: Path, plan_for, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plan_for([source], algorithms=("blake3", "sha256", "xxh128"))
    monkeypatch.setattr(engine, "write_copy_record", lambda report: [])  # killed before it
    run_copy(plan)
    assert not (plan.destination / "_evidence" / "manifest.blake3").exists()
    monkeypatch.undo()
    reads: list[Path] = []
    real = engine.read_back

    def counting(path: Path, *args: object, **kwargs: object) -> int:
        reads.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "read_back", counting)
    report = run_copy(plan_for([source], algorithms=("blake3", "sha256", "xxh128")))

    assert {row.status for row in report.rows} == {"verified"}, report.to_frame()
    assert sorted(reads) == sorted(row.destination for row in report.rows), "each re-read"
    evidence = plan.destination / "_evidence"
    for tool, manifest in (("b3sum", "manifest.blake3"), ("sha256sum", "manifest.sha256")):
        done = subprocess.run([tool, "--check", f"_evidence/{manifest}"], cwd=plan.destination,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert mhl_verify(plan.destination).returncode == 0
    assert verify_case(plan.destination).ok
    assert (evidence / "verified-identity.jsonl").exists()
    assert {row.status for row in run_copy(plan_for([source])).rows} == {"skipped"}

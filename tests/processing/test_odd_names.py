"""Every byte name survives (#19 item 5): a name that is not UTF-8 is recorded losslessly in
the custody log, the run reports and the manifests (which `b3sum --check` reads), the copy
never crashes after the fact, re-runs work; a name too long for the destination is a typed
row, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from workbench.evidence.audit import verify_case
from workbench.processing import run_copy

ODD = b"caf\xe9 \xff"  # Latin-1 bytes: not UTF-8


@pytest.fixture
def odd_source(tmp_path: Path) -> Path:
    root = tmp_path / os.fsdecode(b"export " + ODD)
    root.mkdir()
    (root / os.fsdecode(ODD + b".dav")).write_bytes(os.urandom(5000))
    (root / "plain.dav").write_bytes(b"plain")
    return root


def test_a_name_that_is_not_utf8_is_recorded_losslessly(odd_source: Path, plan_for) -> None:
    plan = plan_for([odd_source], algorithms=("blake3", "sha256", "xxh128"))
    warned = {os.fsencode(warning.path) for warning in plan.warnings
              if warning.type == "UnsafeName"}
    assert warned == {os.fsencode(path) for path in odd_source.iterdir()}, "told before"

    report = run_copy(plan)

    assert report.outcome == "completed" and not report.record_errors, report.record_errors
    evidence = plan.destination / "_evidence"
    entry = json.loads((evidence / "custody.jsonl").read_bytes().splitlines()[-1])
    assert os.fsencode(entry["sources"][0]) == os.fsencode(odd_source)
    runs = sorted((evidence / "runs").glob("*.json"))
    rows = json.loads(runs[-1].read_bytes())["rows"]
    assert os.fsencode(str(odd_source / os.fsdecode(ODD + b".dav"))) in {
        os.fsencode(row["source"]) for row in rows}
    assert ODD + b".dav" in (evidence / "manifest.blake3").read_bytes()
    done = subprocess.run(["sha256sum", "--check", "_evidence/manifest.sha256"],
                          cwd=plan.destination, capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr  # b3sum reads UTF-8 only: warned
    assert verify_case(plan.destination).ok
    again = run_copy(plan_for([odd_source], algorithms=("blake3", "sha256", "xxh128")))
    assert {row.status for row in again.rows} == {"skipped"}


def test_a_name_too_long_for_its_partial_is_a_typed_row(tmp_path: Path, plan_for) -> None:
    root = tmp_path / "export"
    root.mkdir()
    long_name = "x" * 250 + ".dav"  # fits, but not with `.partial` after it
    (root / long_name).write_bytes(b"data")
    (root / "short.dav").write_bytes(b"data")

    report = run_copy(plan_for([root]))

    row = next(row for row in report.rows if row.relative.name == long_name)
    assert row.status == "error" and row.error is not None and row.error.type == "NameTooLong"
    assert report.outcome == "completed_with_errors"
    assert next(r for r in report.rows if r.relative.name == "short.dav").status == "verified"

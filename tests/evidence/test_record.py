"""The evidence record: manifests standard tools check, run reports, the custody log."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import blake3
import pytest

from workbench.errors import CorruptFile, HashMismatch, PathNotFound, ProcessingError
from workbench.evidence import mhl, record, verify_case
from workbench.evidence.manifest import format_line, merge_manifest, parse, read_manifest
from workbench.evidence.types import CopyRow, CopyRows
from workbench.processing import run_copy

ODD_NAMES = ["new\nline.dav", "back\\slash.dav", "plain name.dav", "naïve.dav"]


@pytest.fixture
def odd_source(tmp_path: Path) -> Path:
    root = tmp_path / "odd"
    root.mkdir()
    for index, name in enumerate(ODD_NAMES):
        (root / name).write_bytes(f"clip {index}".encode() * 50)
    return root


def test_lines_escape_backslash_and_newline_like_coreutils() -> None:
    assert format_line("ab12", "dir/plain.dav") == b"ab12  dir/plain.dav\n"
    assert format_line("ab12", "a\nb\\c") == b"\\ab12  a\\nb\\\\c\n"
    data = b"".join(format_line("ab12", name) for name in ODD_NAMES)
    assert parse(data, Path("m")) == dict.fromkeys(ODD_NAMES, "ab12")


def test_a_malformed_manifest_is_a_corrupt_file(tmp_path: Path) -> None:
    with pytest.raises(ProcessingError) as caught:
        parse(b"not a manifest line\n", tmp_path / "manifest.blake3")
    assert caught.value.payload.type == "CorruptFile"


def test_manifest_matches_an_independent_blake3(odd_source: Path, plan_for) -> None:
    plan = plan_for([odd_source])
    run_copy(plan)
    manifest = read_manifest(plan.destination, "blake3")
    assert manifest == {
        f"odd/{name}": blake3.blake3((odd_source / name).read_bytes()).hexdigest()
        for name in ODD_NAMES
    }


@pytest.mark.parametrize(("tool", "algorithm"), [
    ("b3sum", "blake3"), ("sha256sum", "sha256"), ("md5sum", "md5"), ("sha1sum", "sha1"),
])
def test_standard_tools_check_the_manifests(
    odd_source: Path, plan_for, tool: str, algorithm: str
) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    plan = plan_for([odd_source], algorithms=["sha256", "md5", "sha1"])
    run_copy(plan)
    result = subprocess.run(
        [tool, "--check", f"_evidence/manifest.{algorithm}"], cwd=plan.destination,
        capture_output=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(b": OK") == len(ODD_NAMES)

    (plan.destination / "odd" / "plain name.dav").write_bytes(b"tampered")
    tampered = subprocess.run(
        [tool, "--check", f"_evidence/manifest.{algorithm}"], cwd=plan.destination,
        capture_output=True, check=False,
    )
    assert tampered.returncode != 0


def test_a_re_run_merges_the_manifest_without_losing_entries(
    source: Path, plan_for
) -> None:
    plan = plan_for([source / "info.txt"])
    run_copy(plan)
    run_copy(plan_for([source / "CAM01"]))
    assert set(read_manifest(plan.destination, "blake3")) == {
        "info.txt", "CAM01/a.dav", "CAM01/b.dav",
    }
    merge_manifest(plan.destination, "blake3", {"info.txt": "0" * 64})
    assert read_manifest(plan.destination, "blake3")["info.txt"] == "0" * 64


def test_run_reports_and_custody_log(tmp_path: Path, source: Path, plan_for, case) -> None:
    plan = plan_for([source], also_to=[tmp_path / "working"])
    report = run_copy(plan)
    run_copy(plan_for([source], also_to=[tmp_path / "working"]))
    for target in plan.targets:
        evidence = target.destination / "_evidence"
        lines = [json.loads(line) for line in (evidence / "custody.jsonl").read_text().splitlines()]
        assert [line["event"] for line in lines] == ["copy", "copy"]
        first = lines[0]
        assert first["role"] == target.role
        assert first["outcome"] == "completed"
        assert first["counts"] == {"verified": 4}
        assert first["technician"] == case.technician
        assert first["badge_number"] == case.badge_number
        assert first["sources"] == [str(source)]
        assert first["user"] and first["host"] and first["tool_version"]
        assert first["bytes"] == sum(item.size for item in plan.items if item.role == "master")
        assert lines[1]["counts"] == {"skipped": 4}

        runs = sorted((evidence / "runs").iterdir())
        assert [path.suffix for path in runs] == [".csv", ".json", ".csv", ".json"]
        with runs[0].open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert {row["status"] for row in rows} == {"verified"}
        assert {row["destination"].startswith(str(target.destination)) for row in rows} == {True}
        assert list(rows[0]) == ["source", "relative", "destination", "role", "size", "status",
                                 "blake3", "xxh128", "error"]
        saved = json.loads(runs[1].read_text())
        assert saved["outcome"] == report.outcome
        mine = [row for row in report.rows if row.role == target.role]
        assert saved["rows"] == [row.model_dump(mode="json") for row in mine]
        assert [row["blake3"] for row in rows] == [
            row.hashes["blake3"] for row in mine]


def test_run_report_rows_come_from_the_columns_as_the_rows_would_write_them() -> None:
    odd = "clip\udcff.dav"  # a name that is not UTF-8, kept by surrogateescape
    rows = [
        CopyRow(source=Path("/usb/export/a.dav"), relative=PurePosixPath("export/a.dav"),
                destination=Path("/cases/X/export/a.dav"), role="master", size=3,
                status="verified", hashes={"blake3": "ab" * 32, "sha256": "cd" * 32}),
        CopyRow(source=Path(f"/usb/export/{odd}"), relative=PurePosixPath(f"export/{odd}"),
                destination=Path(f"/cases/X/export/{odd}"), role="master", size=5,
                status="mismatch", hashes={"blake3": "ef" * 32},
                error=HashMismatch(file=f"/cases/X/export/{odd}", algorithm="blake3",
                                   expected="ef" * 32, actual="00" * 32)),
        CopyRow(source=Path("/usb/export/gone.dav"), relative=PurePosixPath("export/gone.dav"),
                destination=Path("/cases/Y/export/gone.dav"), role="working", size=0,
                status="error", error=PathNotFound(path="/usb/export/gone.dav")),
    ]
    columns = CopyRows.of(rows)
    assert list(columns.dumps()) == [row.model_dump(mode="json") for row in rows]
    assert [json.dumps(line) for line in columns.select([2, 0]).dumps()] == [
        json.dumps(rows[i].model_dump(mode="json")) for i in (2, 0)]
    records = list(columns.records(["blake3", "xxh128"]))
    assert records[0] == {
        "source": "/usb/export/a.dav", "relative": "export/a.dav",
        "destination": "/cases/X/export/a.dav", "role": "master", "size": 3,
        "status": "verified", "blake3": "ab" * 32, "xxh128": "", "error": ""}
    assert records[1]["relative"] == f"export/{odd}"
    assert records[1]["error"] == f"HashMismatch: {rows[1].error.describe()}"
    assert records[2]["error"] == f"PathNotFound: {rows[2].error.describe()}"


def test_each_destination_gets_an_mhl_generation_per_copy_and_audit(
    tmp_path: Path, source: Path, plan_for
) -> None:
    plan = plan_for([source], also_to=[tmp_path / "working"])
    run_copy(plan)
    verify_case(plan.destination)
    master, working = plan.destinations
    assert [link.number for link in mhl.read_chain(master, check=True)] == [1, 2]
    assert [link.number for link in mhl.read_chain(working, check=True)] == [1]
    generations = sorted((master / mhl.MHL_DIR).glob("*.mhl"))
    assert b"in-place" in generations[-1].read_bytes()
    assert b"a.dav" in generations[0].read_bytes()
    assert b"<xxh128" in generations[-1].read_bytes()  # the audit's generation is checkable


def test_a_failed_record_makes_the_run_completed_with_errors(
    tmp_path: Path, source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_for([source], also_to=[tmp_path / "working"])
    damaged = ProcessingError(CorruptFile(path="ascmhl_chain.xml", detail="injected"))

    def fail_on_working(case_dir: Path, *args: object, **kwargs: object) -> None:
        if case_dir == plan.destinations[1]:
            raise damaged

    monkeypatch.setattr(mhl, "append_generation", fail_on_working)
    report = run_copy(plan)
    assert report.outcome == "completed_with_errors"
    assert report.record_errors == [damaged.payload]
    assert {row.status for row in report.rows} == {"verified"}


def test_an_audit_whose_record_cannot_be_written_still_reports(
    tmp_path: Path, source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_for([source])
    run_copy(plan)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied", str(plan.destination / "custody.jsonl"))

    monkeypatch.setattr(record, "append_custody", refuse)
    audit = verify_case(plan.destination)
    assert audit.ok
    assert [payload.type for payload in audit.record_errors] == ["PermissionDenied"]

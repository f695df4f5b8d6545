"""A tamper-evident record (#19 item 4): every edit of the record or the files that the
issue lists is seen by `verify_case` (not ok, a typed problem naming the record and line),
and `workbench verify` exits non-zero for it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_mhl import XSD_DIR, reference

from workbench.evidence.audit import verify_case
from workbench.processing import run_copy

Tamper = Callable[[Path], None]


@pytest.fixture
def case_dir(source: Path, plan_for) -> Path:
    plan = plan_for([source], algorithms=("blake3", "sha256", "xxh128"))
    assert run_copy(plan).outcome == "completed"
    assert verify_case(plan.destination).ok  # an audit generation on top of the copy's
    return plan.destination


def manifest(case_dir: Path, algorithm: str = "blake3") -> Path:
    return case_dir / "_evidence" / f"manifest.{algorithm}"


def rewrite(path: Path, edit: Callable[[bytes], bytes]) -> None:
    data = edit(path.read_bytes())
    path.chmod(0o644)
    path.write_bytes(data)


def delete_file_and_its_line(case_dir: Path) -> None:
    (case_dir / "export" / "info.txt").unlink()
    rewrite(manifest(case_dir), lambda data: b"".join(
        line for line in data.splitlines(keepends=True) if b"info.txt" not in line))


def append_forged_line(case_dir: Path) -> None:
    target = case_dir / "export" / "CAM01" / "a.dav"
    target.chmod(0o644)
    target.write_bytes(b"forged" * 10)
    import blake3
    forged = blake3.blake3(target.read_bytes()).hexdigest()
    rewrite(manifest(case_dir), lambda data: data + f"{forged}  export/CAM01/a.dav\n".encode())


def rewrite_file_and_blake3_line(case_dir: Path) -> None:
    import blake3
    target = case_dir / "export" / "CAM01" / "a.dav"
    old = blake3.blake3(target.read_bytes()).hexdigest()
    target.chmod(0o644)
    target.write_bytes(b"C" * 5000)
    new = blake3.blake3(b"C" * 5000).hexdigest()
    rewrite(manifest(case_dir), lambda data: data.replace(old.encode(), new.encode()))


def edit_custody_line(case_dir: Path) -> None:
    log = case_dir / "_evidence" / "custody.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[0])
    entry["user"] = "someone else"
    lines[0] = json.dumps(entry).encode() + b"\n"
    log.write_bytes(b"".join(lines))


def edit_generation(case_dir: Path) -> None:
    first = sorted((case_dir / "ascmhl").glob("0001_*.mhl"))[0]
    rewrite(first, lambda data: data.replace(b"Corner Store", b"Corner Shop"))


def delete_generation(case_dir: Path) -> None:
    sorted((case_dir / "ascmhl").glob("0001_*.mhl"))[0].unlink()


TAMPERING: dict[str, Tamper] = {
    "file deleted with its manifest line": delete_file_and_its_line,
    "forged line appended to manifest.blake3": append_forged_line,
    "file and its blake3 line rewritten": rewrite_file_and_blake3_line,
    "custody line edited": edit_custody_line,
    "MHL generation edited": edit_generation,
    "MHL generation deleted": delete_generation,
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=list(TAMPERING))
def test_tampering_makes_the_audit_not_ok_with_a_typed_problem(
        case_dir: Path, tamper: Tamper) -> None:
    tamper(case_dir)

    audit = verify_case(case_dir)

    assert not audit.ok
    assert audit.problems, "a disagreement of the records is a typed problem"
    for problem in audit.problems:
        assert problem.type in {"RecordDisagrees", "CorruptFile", "MalformedRecord"}
        assert problem.describe()
    again = subprocess.run([sys.executable, "-m", "workbench.cli", "verify", str(case_dir)],
                           capture_output=True, text=True)
    assert again.returncode != 0, again.stdout


def test_generations_and_run_reports_name_the_record_digests(case_dir: Path) -> None:
    generations = sorted((case_dir / "ascmhl").glob("*.mhl"))
    for generation in generations:
        assert b"<wb:record file=\"_evidence/manifest.blake3\"" in generation.read_bytes()
        assert reference("xsd_schema_check", "-xsd", XSD_DIR / "ASCMHL.xsd", generation) == 0
    report = json.loads(next((case_dir / "_evidence" / "runs").glob("*.json")).read_bytes())
    named = {entry["file"] for entry in report["record_digests"]}
    assert {"_evidence/manifest.blake3", "_evidence/manifest.sha256"} <= named


def test_an_untouched_case_stays_ok_after_several_runs_and_audits(
        case_dir: Path, source: Path, plan_for) -> None:
    (source / "late.dav").write_bytes(b"late footage")
    report = run_copy(plan_for([source], algorithms=("blake3", "sha256", "xxh128")))
    assert report.outcome == "completed"
    for _ in range(2):
        audit = verify_case(case_dir)
        assert audit.ok, audit.problems
    lines = (case_dir / "_evidence" / "custody.jsonl").read_bytes().splitlines()
    assert json.loads(lines[0])["previous_sha256"] == ""
    assert all(json.loads(line)["previous_sha256"] for line in lines[1:])


def test_the_custody_line_with_the_broken_link_is_named(case_dir: Path) -> None:
    assert verify_case(case_dir).ok  # a third line: the copy, two audits
    log = case_dir / "_evidence" / "custody.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    del lines[1]
    log.write_bytes(b"".join(lines))
    problems = [p for p in verify_case(case_dir).problems
                if p.type == "RecordDisagrees" and p.record == "_evidence/custody.jsonl"]
    assert [problem.line for problem in problems][:1] == [2]


def details(case_dir: Path) -> set[tuple[str, str | None, str]]:
    """(record, other, detail) of every `RecordDisagrees` an audit of `case_dir` finds."""
    return {(p.record, p.other, p.detail) for p in verify_case(case_dir).problems
            if p.type == "RecordDisagrees"}


def test_a_file_rewritten_with_its_blake3_line_is_told_by_the_history(case_dir: Path) -> None:
    rewrite_file_and_blake3_line(case_dir)
    import xxhash
    now = xxhash.xxh128(b"C" * 5000).hexdigest()

    told = [d for d in details(case_dir) if d[:2] == ("ascmhl history", "export/CAM01/a.dav")]

    assert len(told) == 1 and told[0][2].endswith(f"the file has {now}")


def test_a_file_dropped_from_one_manifest_is_told_by_the_others_and_the_history(
        case_dir: Path) -> None:
    delete_file_and_its_line(case_dir)

    found = details(case_dir)

    assert ("_evidence/manifest.blake3", "_evidence/manifest.sha256",
            "it does not list 'export/info.txt'") in found
    assert ("_evidence/manifest.blake3", "the ascmhl history",
            "the history records 'export/info.txt', the manifest does not list it") in found

"""A BagIt bag of a case folder: valid for bagit-python and its command line, tamper-evident,
written by the verified-copy engine into a new folder, never around the evidence."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bagit
import pytest

from workbench import events
from workbench.errors import AuditFailed, Conflict, DiskFull, ExportError
from workbench.events import CancelToken
from workbench.evidence import verify_case
from workbench.evidence.layout import LOCKS
from workbench.exports import bag_export, export_case
from workbench.hashing import partial
from workbench.preferences import load_preferences, save_preferences

Leftovers = Callable[[Path], list[str]]
BAGIT_CLI = Path(sys.executable).with_name("bagit.py")


def bag_info(bag: Path) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in (bag / "bag-info.txt").read_text().splitlines())


def test_bagit_python_validates_the_bag(case_dir: Path, out_dir: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in case_dir.rglob("*") if "_evidence" not in
              p.parts and "ascmhl" not in p.parts}
    report = export_case(case_dir, "bagit", out_dir)
    assert report.verified and report.path == out_dir / "2026-004512_evidence"
    bag = bagit.Bag(str(report.path))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.payload_entries().keys() == {member.name for member in report.members}
    assert {p: p.stat().st_mtime_ns for p in before} == before  # evidence untouched
    assert verify_case(report.path / "data").ok  # data/ is a case folder of its own


def test_the_record_is_copied_after_the_evidence_and_its_audit(case_dir: Path,
                                                                out_dir: Path) -> None:
    """The evidence goes first; the record folders follow once the audit is recorded, so the
    bag's copy of the record ends with the export's own audit line; its locks stay out, as
    they do of a ZIP."""
    report = export_case(case_dir, "bagit", out_dir)
    kinds = [member.kind for member in report.members]
    assert kinds.index("record") > max(i for i, kind in enumerate(kinds) if kind == "evidence")
    record = report.path / "data" / case_dir.name / "_evidence"
    custody = (record / "custody.jsonl").read_text().splitlines()
    assert json.loads(custody[-1])["event"] == "audit"
    assert [lock for lock in LOCKS if (record / lock).exists()] == []
    assert {f"data/{case_dir.name}/_evidence/{lock}" for lock in LOCKS}.isdisjoint(
        member.name for member in report.members)
    assert verify_case(report.path / "data").ok


def test_the_report_begins_once_the_copy_has_listed_the_case_folder(
    case_dir: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case report's temporary files come and go in the record while it is written: it
    is begun only after the copy's plan has walked the folder, never while it walks."""
    listed = threading.Event()
    real_plan = bag_export.plan_copy

    def plan(*args: Any, **kwargs: Any) -> Any:
        try:
            return real_plan(*args, **kwargs)
        finally:
            listed.set()

    monkeypatch.setattr(bag_export, "plan_copy", plan)
    begun_after_listing: list[bool] = []
    unsubscribe = events.subscribe(events.CASE_RECORD_CHANGED,
                                   lambda folder: begun_after_listing.append(listed.is_set()))
    try:
        assert export_case(case_dir, "bagit", out_dir).verified
    finally:
        unsubscribe()
    assert begun_after_listing == [True, True]  # the packaged report, then the one after


def test_the_command_line_validator_agrees(case_dir: Path, out_dir: Path) -> None:
    report = export_case(case_dir, "bagit", out_dir)
    checked = subprocess.run([sys.executable, str(BAGIT_CLI), "--validate", str(report.path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "is valid" in checked.stderr


def test_a_flipped_byte_is_detected(case_dir: Path, out_dir: Path) -> None:
    report = export_case(case_dir, "bagit", out_dir)
    victim = next(m for m in report.members if m.kind == "evidence" and m.size > 1000)
    path = report.path / victim.name
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[500] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError) as caught:
        bagit.Bag(str(report.path)).validate()
    assert {detail.path for detail in caught.value.details} == {victim.name}
    cli = subprocess.run([sys.executable, str(BAGIT_CLI), "--validate", str(report.path)],
                         capture_output=True, text=True)
    assert cli.returncode != 0


def test_bag_info_comes_from_the_case_and_the_preferences(case_dir: Path, out_dir: Path) -> None:
    save_preferences(load_preferences().model_copy(update={
        "source_organization": "County Police, Digital Evidence Unit"}))
    report = export_case(case_dir, "bagit", out_dir)
    info = bag_info(report.path)
    assert info["External-Identifier"] == "2026-004512"
    assert info["Contact-Name"] == "A. Analyst"
    assert info["Source-Organization"] == "County Police, Digital Evidence Unit"
    assert info["Bagging-Date"] == report.started.astimezone().date().isoformat()
    files = [m for m in report.members]
    assert info["Payload-Oxum"] == f"{sum(m.size for m in files)}.{len(files)}"
    assert info["Bag-Size"].endswith(("kB", "MB"))
    assert "every file ok" in info["Internal-Sender-Description"]
    tags = (report.path / "tagmanifest-sha256.txt").read_text()
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt",
                 "export-record.json"):
        assert f"  {name}\n" in tags


def test_manifests_come_from_the_copy_read(case_dir: Path, out_dir: Path) -> None:
    """The payload manifest matches the digests the engine computed while copying."""
    report = export_case(case_dir, "bagit", out_dir)
    runs = sorted((report.path / "data" / "_evidence" / "runs").glob("*_copy.json"))
    rows = json.loads(runs[-1].read_text())["rows"]
    manifest = dict(line.split("  ", 1)[::-1] for line in
                    (report.path / "manifest-sha512.txt").read_text().splitlines())
    for row in rows:
        assert manifest[f"data/{row['relative']}"] == row["hashes"]["sha512"]


def test_a_name_that_is_taken_is_never_reused(case_dir: Path, out_dir: Path) -> None:
    (out_dir / "2026-004512_evidence").mkdir(parents=True)
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "bagit", out_dir)
    assert isinstance(caught.value.payload, Conflict)
    assert list((out_dir / "2026-004512_evidence").iterdir()) == []


def test_cancel_leaves_no_bag(case_dir: Path, out_dir: Path, leftovers: Leftovers) -> None:
    token = CancelToken()
    token.cancel()
    report = export_case(case_dir, "bagit", out_dir, cancel=token)
    assert report.outcome == "cancelled" and not report.verified
    assert leftovers(out_dir) == []


def test_disk_full_during_the_copy_leaves_no_bag(
    case_dir: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch, leftovers: Leftovers
) -> None:
    def full(fd: int, data: memoryview) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(partial, "write_all", full)
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "bagit", out_dir)
    assert isinstance(caught.value.payload, DiskFull)
    assert leftovers(out_dir) == []


def test_an_audit_failure_is_refused_or_recorded_in_the_bag(
    case_dir: Path, out_dir: Path, leftovers: Leftovers
) -> None:
    (case_dir / "export" / "info.txt").write_text("edited\n")
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "bagit", out_dir)
    assert isinstance(caught.value.payload, AuditFailed)
    assert caught.value.payload.files == ["export/info.txt (modified)"]
    assert leftovers(out_dir) == []
    report = export_case(case_dir, "bagit", out_dir, allow_failed=True)
    bagit.Bag(str(report.path)).validate()
    record = json.loads((report.path / "export-record.json").read_text())
    assert [row["path"] for row in record["audit_problems"]] == ["export/info.txt"]
    assert "1 problem(s)" in bag_info(report.path)["Internal-Sender-Description"]


def test_file_names_with_line_breaks_survive_the_manifest(tmp_path: Path, plan_for) -> None:
    from workbench.processing import run_copy

    source = tmp_path / "odd"
    source.mkdir()
    (source / "two\nlines.dav").write_bytes(b"x" * 10)
    (source / "100%.dav").write_bytes(b"y" * 10)
    case_dir = run_copy(plan_for([source])).plan.destination
    report = export_case(case_dir, "bagit", tmp_path / "out")
    bagit.Bag(str(report.path)).validate()
    assert "%0A" in (report.path / "manifest-sha256.txt").read_text()
    assert (report.path / "data" / case_dir.name / "odd" / "two\nlines.dav").is_file()

"""Every intake step leaves the case folder's printable report current: after a copy, an
audit, a footage analysis and an export, `_evidence/report.html|pdf` is (re)written, and the
exported package carries it."""

from __future__ import annotations

import logging
import subprocess
import zipfile
from pathlib import Path

import bagit
import pytest

import workbench as wb
from workbench.cases import CaseData
from workbench.samples import make_sample_evidence

pytestmark = pytest.mark.usefixtures("case_reports")

CASE = CaseData(occurrence="2026-004512", business="Corner Store", technician="Jane Doe",
                badge_number="4471", video_start="2026-11-20T14:00",
                video_end="2026-11-20T15:30")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler's `pdftotext` reads it."""
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    source = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    report = wb.run_copy(wb.plan_copy([source], CASE, "default", tmp_path / "cases",
                                      also_to=[tmp_path / "working"]))
    assert report.outcome == "completed"
    for target in report.plan.targets:
        assert (target.destination / "_evidence" / "report.html").is_file(), target.role
    return report.plan.destination


def test_a_copy_writes_both_case_folders_reports(case_dir: Path, tmp_path: Path) -> None:
    evidence = case_dir / "_evidence"
    assert "2026-004512" in (evidence / "report.html").read_text(encoding="utf-8")
    text = pdf_text((evidence / "report.pdf").read_bytes(), tmp_path)
    assert "Evidence intake report" in text and "2026-004512" in text
    assert not list(evidence.glob(".report.*.tmp")), "written through a temp file and renamed"


def test_audit_and_footage_analysis_rewrite_it(case_dir: Path, tmp_path: Path) -> None:
    pdf = case_dir / "_evidence" / "report.pdf"
    assert "Audits 0" in " ".join(pdf_text(pdf.read_bytes(), tmp_path).split())

    assert wb.verify_case(case_dir).ok
    assert "Audits 1" in " ".join(pdf_text(pdf.read_bytes(), tmp_path).split())

    before = (case_dir / "_evidence" / "report.html").read_text(encoding="utf-8")
    wb.probe_media(case_dir, thumbnails=False)
    after = (case_dir / "_evidence" / "report.html").read_text(encoding="utf-8")
    assert after != before and "Footage" in after


def test_the_zip_carries_the_report_and_the_folder_lists_the_export(
    case_dir: Path, tmp_path: Path,
) -> None:
    export = wb.export_case(case_dir, "zip", tmp_path / "out")
    assert export.verified
    with zipfile.ZipFile(export.path) as archive:
        names = archive.namelist()
        inside = next(name for name in names if name.endswith("_evidence/report.pdf"))
        assert "2026-004512" in pdf_text(archive.read(inside), tmp_path)
    html = (case_dir / "_evidence" / "report.html").read_text(encoding="utf-8")
    assert export.path.name in html, "the case folder's report lists the export"


def test_a_bag_stays_valid(case_dir: Path, tmp_path: Path) -> None:
    export = wb.export_case(case_dir, "bagit", tmp_path / "out")
    bagit.Bag(str(export.path)).validate()
    assert list(export.path.glob("data/**/_evidence/report.pdf")), "the bag carries it"


def test_a_report_that_cannot_be_written_never_fails_the_copy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    source = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    plan = wb.plan_copy([source], CASE, "default", tmp_path / "cases")
    blocker = plan.destination / "_evidence" / "report.pdf"
    blocker.mkdir(parents=True)  # a folder where the PDF would go: the rename fails
    with caplog.at_level(logging.WARNING, logger="workbench.reports.commands"):
        report = wb.run_copy(plan)
    assert report.outcome == "completed"
    assert "case report of" in caplog.text and "not written" in caplog.text
    assert wb.verify_case(plan.destination).ok

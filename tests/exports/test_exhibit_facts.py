"""The exhibit facts and the recorders travel with every package: bag-info (read by
bagit-python) and the ZIP's record (read out of the archive by `unzip`), report included."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import bagit
import pytest

from workbench.cases import CaseData, Recorder
from workbench.exports import export_case
from workbench.processing import plan_copy, run_copy
from workbench.templates import Template

EXHIBIT = CaseData(
    occurrence="2026-004512", business="Corner Store", technician="A. Analyst",
    badge_number="4711", exhibit_number="EX-17/3", seal_numbers="S-100234; S-100235",
    received_from_name="J. Manager", received_from_organisation="Corner Store Ltd",
    received_at="2026-11-21T09:15", seized_at="Back office, 123 Main St",
    recorders=[Recorder(name="NVR-1", make="Hikvision", model="DS-7608NI-K2",
                        serial="J12345678", time_zone="America/Toronto"),
               Recorder(name="DVR-2", make="Dahua")],
)


@pytest.fixture
def exhibit_dir(source: Path, template: Template, tmp_path: Path, case_reports: None) -> Path:
    report = run_copy(plan_copy([source], EXHIBIT, template, tmp_path / "cases"))
    assert report.outcome == "completed"
    return report.plan.destination


def test_bag_info_holds_the_exhibit_facts_and_recorders(exhibit_dir: Path,
                                                        out_dir: Path) -> None:
    report = export_case(exhibit_dir, "bagit", out_dir)
    bag = bagit.Bag(str(report.path))
    bag.validate()
    assert bag.info["Exhibit / item number"] == "EX-17/3"
    assert bag.info["Seal numbers"] == "S-100234, S-100235"
    assert bag.info["Received from"] == "J. Manager"
    assert bag.info["Received from (organisation)"] == "Corner Store Ltd"
    assert bag.info["Received at"] == "2026-11-21 09:15:00"
    assert bag.info["Seized at"] == "Back office, 123 Main St"
    assert bag.info["Recorder 1"] == ("NVR-1: Hikvision DS-7608NI-K2, serial J12345678, "
                                      "time zone America/Toronto")
    assert bag.info["Recorder 2"] == "DVR-2: Dahua, serial unknown, time zone unknown"


def unzip(*args: str) -> str:
    return subprocess.run(["unzip", *args], capture_output=True, text=True,
                          check=True).stdout


def test_the_zip_record_and_its_report_hold_them(exhibit_dir: Path, out_dir: Path) -> None:
    archive = str(export_case(exhibit_dir, "zip", out_dir).path)
    names = unzip("-Z1", archive).splitlines()
    (run_record,) = [name for name in names if "/_evidence/exports/" in name
                     and name.endswith("_zip.json")]
    case = json.loads(unzip("-p", archive, run_record))["case"]
    assert case["exhibit_number"] == "EX-17/3"
    assert case["seal_numbers"] == ["S-100234", "S-100235"]
    assert [recorder["serial"] for recorder in case["recorders"]] == ["J12345678", None]
    (pdf,) = [name for name in names if name.endswith("/_evidence/report.pdf")]
    pdf_bytes = subprocess.run(["unzip", "-p", archive, pdf], capture_output=True,
                               check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf_bytes,
                          capture_output=True, check=True).stdout.decode()
    first_page = text.split("\f")[0]
    for fact in ("EX-17/3", "S-100234, S-100235", "J. Manager", "Corner Store Ltd"):
        assert fact in first_page
    assert "J12345678" in " ".join(text.split())

"""AuditPanel: a foreign record verified on the worker thread, a tampered file highlighted,
two folders compared, bad input shown as a message."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.evidence import VerifyReport
from workbench.hashing import FolderComparison
from workbench.ui import AuditPanel, Workbench


@pytest.fixture
def listed(export: Path) -> Path:
    """The export with a sha256sum list at its top."""
    subprocess.run("sha256sum cam1.mp4 cam2.mp4 logs/dvr.log > SHA256SUMS", shell=True,
                   cwd=export, check=True)
    return export


def test_verify_a_foreign_list_then_catch_a_tampered_file(listed: Path) -> None:
    panel = AuditPanel()
    assert repr(panel) == "<AuditPanel: idle>"
    panel.folder.value = str(listed)
    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=60)
    assert isinstance(report, VerifyReport) and report is panel.report and report.ok
    assert "matches its record" in panel.message.value
    assert "SHA256SUMS" in panel.records.value and "checksums" in panel.records.value
    assert panel.problems.value == ""
    assert repr(panel) == "<AuditPanel: ok>"
    assert panel.progress.children, "the tqdm bar container is in the panel"

    (listed / "cam2.mp4").write_bytes(b"replaced")
    panel.run_button.click()
    report = panel.job.result(timeout=60)
    assert report is not None and not report.ok
    assert "Problems found" in panel.message.value
    assert "cam2.mp4" in panel.problems.value and "#fde0dc" in panel.problems.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled


def test_an_explicit_record_and_a_record_problem(listed: Path, tmp_path: Path) -> None:
    record = tmp_path / "outside.md5"
    record.write_text("d41d8cd98f00b204e9800998ecf8427e  ../escape\n")
    panel = AuditPanel()
    panel.folder.value = str(listed)
    panel.record.value = str(record)
    panel.run_button.click()
    report = panel.job.result(timeout=60) if panel.job else None
    assert report is not None and not report.ok
    assert "UnsafeRecordPath" in panel.problems.value


def test_compare_two_folders(export: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(export, copy)
    (copy / "logs" / "dvr.log").write_bytes(b"edited\n")
    panel = AuditPanel()
    panel.mode.value = "compare"
    rows = panel.browse_rows
    assert rows["record"].layout.display == "none" and rows["other"].layout.display is None
    panel.folder.value, panel.other.value = str(export), str(copy)
    panel.run_button.click()
    comparison = panel.job.result(timeout=60) if panel.job else None
    assert isinstance(comparison, FolderComparison) and not comparison.ok
    assert "The folders differ" in panel.message.value
    assert "logs/dvr.log" in panel.problems.value and "different" in panel.problems.value


def test_bad_input_is_a_message(tmp_path: Path) -> None:
    panel = AuditPanel()
    panel.run_button.click()
    assert panel.job is None and "Give the folder" in panel.message.value
    panel.folder.value = str(tmp_path / "nowhere")
    panel.run_button.click()
    assert panel.job is not None and panel.job.result(timeout=60) is None
    assert "does not exist" in panel.message.value and "Traceback" not in panel.message.value
    panel.folder.value = str(tmp_path)
    panel.run_button.click()
    assert panel.job.result(timeout=60) is None
    assert "is not a case folder" in panel.message.value


def test_the_app_has_an_audit_tab_fed_by_the_copy(tmp_path: Path, case: CaseData,
                                                   export: Path, destination: Path) -> None:
    app = Workbench(home=tmp_path / "home", case=case)
    assert app.tabs.titles[app.tabs.children.index(app.audit_panel)].endswith("Audit")
    assert app.audit_panel in app.tabs.children
    app.copy_panel.sources.value = str(export)
    app.copy_panel.destination.value = str(destination)
    app.copy_panel.run_button.click()
    report = app.copy_panel.job.result(timeout=60) if app.copy_panel.job else None
    assert report is not None and report.outcome == "completed"
    assert app.audit_panel.folder.value == str(report.plan.destination)
    app.audit_panel.run_button.click()
    audit = app.audit_panel.job.result(timeout=60) if app.audit_panel.job else None
    assert audit is not None and audit.ok
    assert [ref.kind for ref in audit.records] == ["workbench"]
    app.close()

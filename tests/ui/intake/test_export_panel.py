"""ExportPanel: a verified ZIP and bag, Cancel mid-export, problems shown as messages."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pytest

from workbench.cases import CaseData
from workbench.evidence import ProgressEvent
from workbench.exports import export_case
from workbench.processing import plan_copy, run_copy
from workbench.templates.types import Template
from workbench.ui import ExportPanel, Workbench
from workbench.ui.intake import export_panel


@pytest.fixture
def case_dir(case: CaseData, template: Template, export: Path, destination: Path) -> Path:
    report = run_copy(plan_copy([export], case, template, destination))
    assert report.outcome == "completed"
    return report.plan.destination


def run(panel: ExportPanel, case_dir: Path, out: Path, fmt: str = "zip") -> Any:
    panel.case_dir.value, panel.out_dir.value, panel.format.value = str(case_dir), str(out), fmt
    panel.run_button.click()
    assert panel.job is not None
    return panel.job.result(timeout=60)


def test_a_zip_and_a_bag_are_exported_and_verified(case_dir: Path, tmp_path: Path) -> None:
    panel = ExportPanel()
    assert repr(panel) == "<ExportPanel: idle>"
    report = run(panel, case_dir, tmp_path / "out")
    assert report is panel.report and report.verified
    with zipfile.ZipFile(report.path) as archive:
        assert archive.testzip() is None
    assert "Exported and verified" in panel.message.value
    assert "cam1.mp4" in panel.members_table.value and report.digests["sha256"] in \
        panel.summary.value
    assert panel.progress.children and not panel.run_button.disabled
    assert repr(panel) == "<ExportPanel: zip verified=True>"
    bag = run(panel, case_dir, tmp_path / "out", "bagit")
    bagit.Bag(str(bag.path)).validate()
    assert repr(panel) == "<ExportPanel: bagit verified=True>"


def test_an_audit_failure_is_a_message_then_allowed(case_dir: Path, tmp_path: Path) -> None:
    (case_dir / "export" / "cam2.mp4").write_bytes(b"altered")
    panel = ExportPanel()
    assert run(panel, case_dir, tmp_path / "out") is None
    assert "export/cam2.mp4 (modified)" in panel.message.value
    assert "tick “export even if the audit finds problems”" in panel.message.value
    assert "Traceback" not in panel.message.value and panel.report is None
    panel.allow_failed.value = True
    report = run(panel, case_dir, tmp_path / "out")
    assert report is not None and len(report.audit_problems) == 1
    assert "1 audit problem(s)" in panel.message.value and "#fde0dc" in \
        panel.members_table.value


def test_missing_fields_export_nothing(tmp_path: Path) -> None:
    panel = ExportPanel()
    panel.run_button.click()
    assert panel.job is None and "Give the case folder" in panel.message.value


def test_cancel_during_an_export_leaves_nothing(
    case: CaseData, template: Template, tmp_path: Path, destination: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = tmp_path / "big"
    big.mkdir()
    for index in range(3):
        (big / f"{index}.bin").write_bytes(bytes([index]) * 24 * 2**20)
    case_dir = run_copy(plan_copy([big], case, template, destination)).plan.destination
    started, cancelled = threading.Event(), threading.Event()

    def held(*args: Any, on_progress: Any, **kwargs: Any) -> Any:
        def hold(event: ProgressEvent) -> None:
            on_progress(event)
            if event.bytes_done and not started.is_set():
                started.set()
                cancelled.wait(timeout=30)

        return export_case(*args, on_progress=hold, **kwargs)

    monkeypatch.setattr(export_panel, "export_case", held)
    panel = ExportPanel()
    panel.case_dir.value, panel.out_dir.value = str(case_dir), str(tmp_path / "out")
    panel.run_button.click()
    assert started.wait(timeout=30)
    assert panel.run_button.disabled and repr(panel) == "<ExportPanel: running>"
    panel.cancel_button.click()
    cancelled.set()
    assert panel.job is not None and panel.job.result(timeout=60).outcome == "cancelled"
    assert "cancelled" in panel.message.value
    assert not list((tmp_path / "out").iterdir())
    assert not panel.run_button.disabled and panel.cancel_button.disabled


def test_the_app_offers_the_copied_case_for_export(
    case: CaseData, template: Template, export: Path, destination: Path
) -> None:
    app = Workbench(case=case)
    app.template_editor.value = template
    app.copy_panel.sources.value = str(export)
    app.copy_panel.destination.value = str(destination)
    app.copy_panel.run_button.click()
    report = app.copy_panel.job.result(timeout=60) if app.copy_panel.job else None
    assert report is not None
    assert app.export_panel.case_dir.value == str(report.plan.destination)
    assert app.export_panel in app.tabs.children[2].children
    app.close()

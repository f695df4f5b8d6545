"""CopyPanel: a verified run, Cancel mid-copy, and failures shown as messages."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from workbench.cases import CaseData
from workbench.evidence import ProgressEvent
from workbench.templates.types import Template
from workbench.ui import CopyPanel
from workbench.ui.intake import copy_panel


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_full_run_is_verified(case: CaseData, template: Template, export: Path,
                              destination: Path) -> None:
    panel = CopyPanel(case=case, template=template)
    assert repr(panel) == "<CopyPanel: idle>"
    panel.sources.value = f"{export}\n"
    panel.destination.value = str(destination)
    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=60)
    assert report is panel.report and report is not None
    assert report.outcome == "completed"
    assert {row.status for row in report.rows} == {"verified"}
    case_dir = destination / "2026-004512" / "Corner Store"
    assert (case_dir / "export" / "cam1.mp4").read_bytes() == (export / "cam1.mp4").read_bytes()
    assert "Copy verified" in panel.message.value
    assert "verified" in panel.report_table.value
    assert panel.mismatch_table.value == ""
    assert not panel.run_button.disabled and panel.cancel_button.disabled
    assert panel.progress.children, "the tqdm bar container is in the panel"
    assert repr(panel) == "<CopyPanel: completed>"
    panel.report_button.click()
    assert "<iframe srcdoc=" in panel.printable.value and "2026-004512" in panel.printable.value
    written = case_dir / "_evidence" / "report.pdf"
    assert written.is_file() and (case_dir / "_evidence" / "report.html").is_file()
    assert str(written) in panel.printable.value, "the panel says where the report is"


def test_an_unexpected_failure_is_a_message_not_a_traceback(
        case: CaseData, template: Template, export: Path, destination: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(copy_panel, "run_copy", broken)
    panel = CopyPanel(case=case, template=template)
    panel.sources.value = str(export)
    panel.destination.value = str(destination)
    panel.run_button.click()
    assert panel.job is not None and panel.job.result(timeout=60) is None
    assert "Unexpected OSError" in panel.message.value and "Input/output" in panel.message.value
    assert "Traceback" not in panel.message.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled


def test_working_copy_is_written_too(case: CaseData, template: Template, export: Path,
                                     tmp_path: Path, destination: Path) -> None:
    panel = CopyPanel(case=case, template=template)
    panel.sources.value = str(export)
    panel.destination.value = str(destination)
    panel.also_to.value = str(tmp_path / "working")
    panel.run_button.click()
    report = panel.job.result(timeout=60) if panel.job else None
    assert report is not None and report.outcome == "completed"
    assert {row.role for row in report.rows} == {"master", "working"}
    assert (tmp_path / "working" / "2026-004512" / "Corner Store" / "export" / "cam2.mp4").exists()


def test_cancel_during_a_large_copy(case: CaseData, template: Template, tmp_path: Path,
                                    destination: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big"
    big.mkdir()
    for index, name in enumerate(("a.bin", "b.bin", "c.bin")):
        (big / name).write_bytes(bytes([index]) * 24 * 2**20)
    started, cancelled = threading.Event(), threading.Event()
    real_run_copy = wb.run_copy

    def run_copy_held_at_first_progress(plan: Any, *, on_progress: Any, **kw: Any) -> Any:
        def hold(event: ProgressEvent) -> None:
            on_progress(event)
            if event.bytes_done and not started.is_set():
                started.set()
                cancelled.wait(timeout=30)

        return real_run_copy(plan, on_progress=hold, **kw)

    monkeypatch.setattr(copy_panel, "run_copy", run_copy_held_at_first_progress)
    panel = CopyPanel(case=case, template=template)
    panel.sources.value = str(big)
    panel.destination.value = str(destination)
    panel.run_button.click()
    assert started.wait(timeout=30)
    assert panel.run_button.disabled and repr(panel) == "<CopyPanel: running>"
    panel.cancel_button.click()
    cancelled.set()
    report = panel.job.result(timeout=60) if panel.job else None
    assert report is not None and report.outcome == "cancelled"
    assert "cancelled" in {row.status for row in report.rows}
    assert not [p for p in files_under(destination) if p.name.endswith(".partial")]
    for row in report.rows:
        if row.status == "cancelled":
            assert not row.destination.exists()
    assert "cancelled" in panel.message.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled


def test_invalid_case_copies_nothing(template: Template, export: Path,
                                     destination: Path) -> None:
    panel = CopyPanel(case=None, template=template)
    panel.sources.value = str(export)
    panel.destination.value = str(destination)
    panel.run_button.click()
    assert panel.job is None
    assert "fix the case form" in panel.message.value
    assert files_under(destination) == []


def test_missing_source_shows_a_message_and_copies_nothing(
        case: CaseData, template: Template, export: Path, tmp_path: Path,
        destination: Path) -> None:
    panel = CopyPanel(case=case, template=template)
    panel.sources.value = f"{export}\n{tmp_path / 'not-there'}"
    panel.destination.value = str(destination)
    panel.run_button.click()
    assert panel.job is None
    assert "not-there" in panel.message.value and "does not exist" in panel.message.value
    assert "Traceback" not in panel.message.value
    assert files_under(destination) == []
    assert not panel.run_button.disabled


def test_failed_rows_are_listed(case: CaseData, template: Template, export: Path,
                                destination: Path) -> None:
    case_dir = destination / "2026-004512" / "Corner Store" / "export"
    case_dir.mkdir(parents=True)
    (case_dir / "cam1.mp4").write_bytes(b"something else")
    panel = CopyPanel(case=case, template=template)
    panel.sources.value = str(export)
    panel.destination.value = str(destination)
    panel.run_button.click()
    report = panel.job.result(timeout=60) if panel.job else None
    assert report is not None and report.outcome == "completed_with_errors"
    assert "Failed rows" in panel.mismatch_table.value
    assert "cam1.mp4" in panel.mismatch_table.value
    assert (case_dir / "cam1.mp4").read_bytes() == b"something else"
    assert "errors" in panel.message.value

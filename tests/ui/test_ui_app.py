"""Workbench: the parts wired together, the preview refreshed on change, fixed reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.templates.types import Template
from workbench.ui import TreePreview, Workbench


def test_preview_refreshes_on_case_template_and_sources(
        case: CaseData, template: Template, export: Path, destination: Path) -> None:
    app = Workbench(case=case)
    assert app.tree_preview.plan is None
    assert "Add at least one source" in app.tree_preview.message.value
    app.template_editor.value = template
    app.copy_panel.sources.value = str(export)
    app.copy_panel.destination.value = str(destination)
    plan = app.tree_preview.plan
    assert plan is not None and plan.destination == destination / "2026-004512" / "Corner Store"
    assert "3 files" in app.tree_preview.counts.value
    assert "cam1.mp4" in app.tree_preview.table.value

    app.case_form.inputs["occurrence"].value = "2026-999"
    assert app.tree_preview.plan is not None
    assert app.tree_preview.plan.destination.parent.name == "2026-999"
    app.template_editor.rows[1].pattern.value = "{location}"
    assert app.tree_preview.plan.destination.name == "123 Main St"
    assert app.copy_panel.template == app.template_editor.value


def test_preview_shows_why_it_cannot_plan(case: CaseData, template: Template, tmp_path: Path,
                                          destination: Path) -> None:
    preview = TreePreview()
    plan = preview.refresh(case, template, [str(tmp_path / "gone")], str(destination))
    assert plan is None and "does not exist" in preview.message.value
    assert repr(preview) == "<TreePreview: no plan>"


def test_preview_highlights_conflicts(case: CaseData, template: Template, export: Path,
                                      destination: Path) -> None:
    clash = destination / "2026-004512" / "Corner Store" / "export" / "cam2.mp4"
    clash.parent.mkdir(parents=True)
    clash.write_bytes(b"different")
    preview = TreePreview()
    preview.refresh(case, template, [str(export)], str(destination))
    assert "conflict" in preview.counts.value
    assert "#fde0dc" in preview.table.value
    assert repr(preview) == "<TreePreview: 3 files to 1 destinations>"


def test_a_finished_copy_refreshes_the_preview(case: CaseData, template: Template,
                                               export: Path, destination: Path) -> None:
    app = Workbench(case=case)
    app.template_editor.value = template
    app.copy_panel.sources.value = str(export)
    app.copy_panel.destination.value = str(destination)
    app.copy_panel.run_button.click()
    assert app.copy_panel.job is not None
    app.copy_panel.job.result(timeout=60)
    plan = app.tree_preview.plan
    assert plan is not None and {item.action for item in plan.items} == {"skip"}


def test_reprs_are_fixed(case: CaseData) -> None:
    app = Workbench(case=case)
    assert repr(app) == f"<Workbench: case 2026-004512, template {app.template_editor.value.id}>"
    app.case_form.inputs["occurrence"].value = ""
    assert repr(app).startswith("<Workbench: case (incomplete), template ")
    assert repr(app.case_form) == "<CaseForm: invalid>"


def test_home_isolates_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_HOME")  # restored by monkeypatch after the test
    app = Workbench(home=tmp_path / "home")
    app.template_editor.save_button.click()
    saved = tmp_path / "home" / "templates" / f"{app.template_editor.value.id}.json"
    assert saved.exists()

"""`Workbench`: the case form, template editor, tree preview, copy, export, footage, audit and
batch panels, wired together."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from workbench.cases import CaseData
from workbench.paths import expand_user
from workbench.ui.batch import BatchPanel, FleetPanel
from workbench.ui.intake import CaseForm, CopyPanel, ExportPanel, TemplateEditor, TreePreview
from workbench.ui.review import AuditPanel, FootagePanel

TAB_TITLES = ("1 · Case", "2 · Template", "3 · Copy", "4 · Footage", "5 · Audit", "6 · Batch")
FOOTAGE_TAB = 3
"""Index of the Footage tab."""


class Workbench(widgets.VBox):
    """The whole intake as one widget, a tab for each step of the analyst's day: case,
    template, preview + copy (with the footage analysis and the export of the case folder
    below the copy), footage, audit, and the batch of cases with the fleet audit.

    A change of case, template, sources or destination re-plans the preview; a finished
    copy re-plans it too (verified files then show as `skip`) and offers the footage analysis
    of its case folder (`.footage_button`, which opens the Footage tab). `home` points
    `WORKBENCH_HOME` at a folder for this process, so preferences and templates are
    read from (and saved to) it instead of the user's own settings.
    """

    def __init__(self, home: str | Path | None = None, case: CaseData | None = None,
                 **kwargs: Any) -> None:
        if home is not None:
            os.environ["WORKBENCH_HOME"] = str(expand_user(home).resolve())
        self.case_form = CaseForm(value=case)
        self.template_editor = TemplateEditor(case=self.case_form.value)
        self.tree_preview = TreePreview()
        self.copy_panel = CopyPanel(
            case=self.case_form.value, template=self.template_editor.value,
            preview=self.tree_preview,
        )
        self.footage_panel = FootagePanel(case=self.case_form.value)
        self.footage_button = widgets.Button(
            description="Analyse footage", icon="film", disabled=True,
            tooltip="Probe the verified case folder: cameras, coverage, problems, keyframes")
        """Offered by the Copy tab once a copy is verified: analyses its case folder."""
        self.footage_button.add_class("wb-copy-footage-button")
        self.footage_button.on_click(self._analyse_copy)
        self.audit_panel = AuditPanel()
        self.export_panel = ExportPanel()
        """Below the copy: packages the case folder just copied (or any) as a ZIP or a bag."""
        self.batch_panel = BatchPanel()
        self.fleet_panel = FleetPanel()
        batch_tab = widgets.VBox([
            widgets.HTML("<h4 style='margin:4px 0'>Batch intake</h4>"), self.batch_panel,
            widgets.HTML("<h4 style='margin:12px 0 4px'>Fleet audit</h4>"), self.fleet_panel,
        ])
        self.tabs = widgets.Tab(
            children=[self.case_form, self.template_editor,
                      widgets.VBox([self.copy_panel, self.footage_button, self.export_panel]),
                      self.footage_panel, self.audit_panel, batch_tab],
            titles=TAB_TITLES,
        )
        self.case_form.observe(self._case_changed, names="value")
        self.template_editor.observe(self._template_changed, names="value")
        for field in (self.copy_panel.sources, self.copy_panel.destination,
                      self.copy_panel.also_to, self.copy_panel.algorithms):
            field.observe(self._refresh, names="value")
        self.copy_panel.observe(self._refresh, names="report")
        self.copy_panel.observe(self._copied, names="report")
        super().__init__(children=[
            widgets.HTML("<h3 style='margin:4px 0'>Case Workbench</h3>"), self.tabs,
        ], **kwargs)
        self.add_class("wb-workbench")
        self._refresh()

    def _case_changed(self, change: dict[str, Any]) -> None:
        self.template_editor.case = self.copy_panel.case = change["new"]
        self.footage_panel.case = change["new"]
        self._refresh()

    def _analyse_copy(self, _button: object = None) -> None:
        report = self.copy_panel.report
        if report is None:
            return
        self.tabs.selected_index = FOOTAGE_TAB
        self.footage_panel.analyse(str(report.plan.destination))

    def _template_changed(self, change: dict[str, Any]) -> None:
        self.copy_panel.template = change["new"]
        self._refresh()

    def _copied(self, change: dict[str, Any]) -> None:
        """A finished copy's case folder is the one to analyse, export and audit next."""
        report = change["new"]
        self.footage_button.disabled = report is None or report.outcome != "completed"
        if report is not None:
            self.export_panel.case_dir.value = str(report.plan.destination)
            self.audit_panel.folder.value = str(report.plan.destination)

    def _refresh(self, _change: object = None) -> None:
        request = self.copy_panel.request()
        self.tree_preview.refresh(self.case_form.value, self.template_editor.value,
                                  **request._asdict())

    def close(self) -> None:
        """Close the parts (stopping a running copy and event subscriptions), then this."""
        for part in (self.case_form, self.template_editor, self.tree_preview, self.copy_panel,
                     self.footage_panel, self.audit_panel, self.export_panel, self.batch_panel,
                     self.fleet_panel):
            part.close()
        super().close()

    def __repr__(self) -> str:
        case = self.case_form.value
        return (f"<Workbench: case {case.occurrence if case else '(incomplete)'}, "
                f"template {self.template_editor.value.id}>")

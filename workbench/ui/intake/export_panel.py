"""`ExportPanel`: package a case folder as a verified ZIP or a BagIt bag, with Run and Cancel."""

from __future__ import annotations

import html
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets
from pydantic import BaseModel

from workbench.errors import AuditFailed
from workbench.exports import ExportReport, export_case
from workbench.ui.controls import BrowseRow, JobPanel, styled_table, text_field

_STYLE = {"description_width": "110px"}
_WIDE = {"width": "620px"}
_AUDIT_COLOURS = {"modified": "background-color:#fde0dc", "extra": "background-color:#fff3cd"}
_SHOWN_COLUMNS = ["name", "kind", "size", "blake3", "audit", "verified"]


class ExportPanel(JobPanel):
    """Export `.case_dir` to `.out_dir` as `.format` (zip or bagit) on a worker thread.

    `.job` is the running export's `Future`; `.report` holds the last `ExportReport`. After
    a copy the app fills `.case_dir` with its case folder. An audit that finds problems is
    refused unless `.allow_failed` is ticked.
    """

    report = traitlets.Instance(ExportReport, allow_none=True)
    """The last export (None before the first)."""
    cancelled_text = "Export cancelled; nothing was left behind."
    hints: ClassVar[dict[type[BaseModel], str]] = {
        AuditFailed: "tick “export even if the audit finds problems” to export it with the "
                     "problems recorded in it"}

    def __init__(self, **kwargs: Any) -> None:
        self.case_dir = text_field(description="Case folder", style=_STYLE, layout=_WIDE,
                                   placeholder="filled after a copy, or any case folder")
        self.format = widgets.ToggleButtons(
            description="Format", options=[("ZIP (disclosure)", "zip"),
                                           ("BagIt bag (archive)", "bagit")],
            value="zip", style={**_STYLE, "button_width": "150px"},
        )
        self.out_dir = text_field(description="Out folder", style=_STYLE, layout=_WIDE,
                                  placeholder="folder the archive or bag is written in")
        self.allow_failed = widgets.Checkbox(
            description="export even if the audit finds problems (they are recorded)",
            indent=False,
        )
        self.summary = widgets.HTML()
        self.members_table = widgets.HTML()
        super().__init__("export", **kwargs)
        self.run_button.description, self.run_button.icon = "Export", "archive"
        for name in ("case_dir", "out_dir"):
            getattr(self, name).add_class(f"wb-export-{name.replace('_', '-')}")
        self.children = [
            widgets.HTML("<b>Export</b> — a verified ZIP for disclosure, or a BagIt bag for "
                         "an archive; the case folder is audited in the same read"),
            BrowseRow(self.case_dir), self.format, BrowseRow(self.out_dir), self.allow_failed,
            widgets.HBox([self.run_button, self.cancel_button]),
            self.message, self.progress, self.status, self.summary, self.members_table,
        ]

    def _run(self, _button: object = None) -> None:
        if self.running:
            return
        case_dir, out_dir = self.case_dir.value.strip(), self.out_dir.value.strip()
        if not case_dir or not out_dir:
            self.say("Give the case folder and the folder to export to.", "error")
            return
        for output in (self.summary, self.members_table):
            output.value = ""
        fmt, allow_failed = self.format.value, self.allow_failed.value
        bar, relay = self.new_bar(fmt, unit="B", unit_scale=True, unit_divisor=1024)
        self.say(f"Exporting {case_dir} as {fmt}…")
        self.start(lambda token: export_case(case_dir, fmt, out_dir, allow_failed=allow_failed,
                                             on_progress=relay, cancel=token), self._show, bar)

    def _show(self, report: ExportReport) -> None:
        self.report = report
        if report.outcome == "cancelled":
            return
        digests = " · ".join(f"{name} <code>{html.escape(value)}</code>"
                             for name, value in report.digests.items())
        sidecars = "".join(f"<br>checksum file <code>{html.escape(str(path))}</code>"
                           for path in report.sidecars)
        self.summary.value = (
            f'<div class="wb-summary">{html.escape(str(report.path))}<br>'
            f"{digests} (of {html.escape(report.digest_of)}){sidecars}</div>"
        )
        self.members_table.value = styled_table(
            report.to_frame()[_SHOWN_COLUMNS], "audit", _AUDIT_COLOURS)
        problems = len(report.audit_problems)
        errors = "; ".join(payload.describe() for payload in report.record_errors)
        if errors:
            self.say(f"Exported and verified, but the record is incomplete: {errors}", "warning")
        elif problems:
            self.say(f"Exported and verified with {problems} audit problem(s), recorded in "
                     "the package.", "warning")
        else:
            self.say(f"Exported and verified: {len(report.members)} files → {report.path}",
                     "ok")
        self.report = report

    def outcome(self) -> str:
        if self.report is None:
            return "idle"
        return f"{self.report.format} verified={self.report.verified}"

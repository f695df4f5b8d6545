"""`AuditPanel`: verify a folder against its own record or another tool's, or compare two
folders; the work runs on a worker thread, problems are highlighted in the tables."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbench.evidence import VerifyReport, compare_folders, verify_case
from workbench.foreign import RECORD_KINDS
from workbench.hashing import FolderComparison
from workbench.ui.controls import (
    BrowseRow,
    JobPanel,
    Kind,
    styled_table,
    summary_html,
    text_field,
)

VERIFY, COMPARE = "verify", "compare"
"""The panel's two modes."""
_COLOURS = {
    "modified": "background-color:#fde0dc",
    "missing": "background-color:#fde0dc",
    "extra": "background-color:#fff3cd",
    "different": "background-color:#fde0dc",
    "only_in_a": "background-color:#fff3cd",
    "only_in_b": "background-color:#fff3cd",
}
_STYLE = {"description_width": "110px"}
_WIDE = {"width": "620px"}

Result = VerifyReport | FolderComparison


class AuditPanel(JobPanel):
    """Check `.folder` against the record it carries (or `.record`), or compare it with
    `.other`. `.job` is the worker's `Future`, `.report` the last `VerifyReport` or
    `FolderComparison`; the worker only assigns widget traits."""

    report = traitlets.Union([traitlets.Instance(VerifyReport),
                              traitlets.Instance(FolderComparison)], allow_none=True)
    """The last result (None before the first run)."""

    def __init__(self, **kwargs: Any) -> None:
        self.mode = widgets.ToggleButtons(
            options=[("Verify a folder", VERIFY), ("Compare two folders", COMPARE)],
            value=VERIFY, style={"button_width": "160px"},
        )
        self.folder = text_field(description="Folder", style=_STYLE, layout=_WIDE,
                                 placeholder="the case folder, or any folder with a record")
        self.record = text_field(
            description="Record", style=_STYLE, layout=_WIDE,
            placeholder=f"optional: {RECORD_KINDS}",
        )
        self.other = text_field(description="Compare with", style=_STYLE, layout=_WIDE,
                                placeholder="the second folder")
        self.summary = widgets.HTML()
        self.records = widgets.HTML()
        """Which record(s) the check used."""
        self.problems = widgets.HTML()
        """Record problems and the rows that are not ok."""
        self.result_table = widgets.HTML()
        super().__init__("audit", **kwargs)
        for name in ("folder", "record", "other"):
            getattr(self, name).add_class(f"wb-audit-{name}")
        self.mode.observe(self._mode_changed, names="value")
        self.browse_rows = {"folder": BrowseRow(self.folder),
                            "record": BrowseRow(self.record, "file"),
                            "other": BrowseRow(self.other)}
        """Each path field with its Browse button (the folder browser under it)."""
        self.children = [
            self.mode, *self.browse_rows.values(),
            widgets.HBox([self.run_button, self.cancel_button]), self.message, self.progress,
            self.status, self.summary, self.records, self.problems, self.result_table,
        ]
        self._mode_changed()

    def _mode_changed(self, _change: object = None) -> None:
        comparing = self.mode.value == COMPARE
        self.browse_rows["record"].layout.display = "none" if comparing else None
        self.browse_rows["other"].layout.display = None if comparing else "none"

    def _run(self, _button: object = None) -> None:
        if self.running:
            return
        for output in (self.summary, self.records, self.problems, self.result_table):
            output.value = ""
        self.progress.children = ()
        folder, other = self.folder.value.strip(), self.other.value.strip()
        if not folder or (self.mode.value == COMPARE and not other):
            self.say("Give the folder" + (" and the folder to compare it with."
                                          if self.mode.value == COMPARE else "."), "error")
            return
        if self.mode.value == COMPARE:
            self.say(f"Comparing {folder} with {other}…")
            self.start(lambda token: compare_folders(folder, other, cancel=token), self._show)
            return
        record = self.record.value.strip() or None
        bar, relay = self.new_bar("verify", unit="B", unit_scale=True, unit_divisor=1024)
        self.say(f"Verifying {folder}…")
        self.start(lambda token: verify_case(folder, against=record, on_progress=relay,
                                             cancel=token), self._show, bar)

    def _show(self, result: Result) -> None:
        self.summary.value = summary_html(result.summary())
        if isinstance(result, VerifyReport):
            self.records.value = "<b>Checked against</b><ul>" + "".join(
                f"<li>{html.escape(ref.kind)}{_tool(ref.tool)}: {html.escape(str(ref.path))} "
                f"({ref.files:,} files; {html.escape(', '.join(ref.algorithms))})</li>"
                for ref in result.records
            ) + "</ul>"
            problems = pd.DataFrame([{"type": p.type, "problem": p.describe()}
                                     for p in result.problems], columns=["type", "problem"])
            failed = result.mismatches()
            self.problems.value = (
                ("<b>Record problems</b>" + styled_table(problems, "type", {}) if len(problems)
                 else "") +
                ("<b>Not ok</b>" + styled_table(failed, "status", _COLOURS) if len(failed)
                 else "")
            )
            self.result_table.value = styled_table(result.to_frame(), "status", _COLOURS)
            self.say(*_verdict(result.ok, f"{result.case_dir} matches its record",
                                "Problems found: see the highlighted rows"))
        else:
            self.problems.value = (
                "<b>Differences</b>" + styled_table(result.differences(), "status", _COLOURS)
                if not result.ok else ""
            )
            self.result_table.value = styled_table(result.to_frame(), "status", _COLOURS)
            self.say(*_verdict(result.ok, "Both folders hold the same files",
                                "The folders differ: see the highlighted rows"))
        self.report = result

    def outcome(self) -> str:
        if self.report is None:
            return "idle"
        return "ok" if self.report.ok else "problems found"


def _verdict(ok: bool, good: str, bad: str) -> tuple[str, Kind]:
    return (f"{good}.", "ok") if ok else (f"{bad}.", "error")


def _tool(tool: str | None) -> str:
    return f" ({html.escape(tool)})" if tool else ""

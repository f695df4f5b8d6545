"""`BatchPanel`: a CSV of cases checked as a table, then copied with one bar for the batch."""

from __future__ import annotations

from collections import Counter
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.batch import BatchCheck, BatchReport, check_batch, run_batch
from workbench.errors import WorkbenchError
from workbench.ui.controls import BrowseRow, JobPanel, Kind, styled_table, text_field

_RED, _YELLOW = "background-color:#fde0dc", "background-color:#fff3cd"
_COLOURS = {"invalid": _RED, "failed": _RED, "completed_with_errors": _RED,
            "cancelled": _YELLOW, "already_done": "color:#666"}
_STYLE = {"description_width": "110px"}


def _listed(report: BatchReport) -> str:
    found = Counter(row.outcome for row in report.rows)
    return ", ".join(f"{count} {outcome.replace('_', ' ')}"
                     for outcome, count in sorted(found.items()))


def _outcome(report: BatchReport) -> tuple[str, Kind]:
    listed = _listed(report)
    if report.ok:
        return f"Batch completed: {listed}.", "ok"
    return f"Batch finished with problems ({listed}); see the rows in red.", "error"


class BatchPanel(JobPanel):
    """Load a batch CSV (`.path`), see every row checked (`.table`, bad rows in red), run it
    (`.parallel` cases at once) with one progress bar; `.report` is the last `BatchReport`."""

    check = traitlets.Instance(BatchCheck, allow_none=True)
    """The batch as last checked."""
    report = traitlets.Instance(BatchReport, allow_none=True)
    """The last batch report (None before the first run)."""

    def __init__(self, **kwargs: Any) -> None:
        self.path = text_field(description="Batch CSV", style=_STYLE, layout={"width": "620px"},
                               placeholder="cases.csv: one case a row, columns named after "
                                           "the API")
        self.parallel = widgets.BoundedIntText(value=1, min=1, max=16, description="At once",
                                               style=_STYLE, layout={"width": "180px"})
        self.check_button = widgets.Button(description="Check", icon="check",
                                           tooltip="Read and check the CSV again")
        self.table = widgets.HTML()
        """The checked batch: one row per case, bad rows highlighted."""
        self.summary = widgets.HTML()
        """The batch report: one row per case."""
        super().__init__("batch")
        self.children = [
            BrowseRow(self.path, "file"), self.parallel,
            widgets.HBox([self.check_button, self.run_button, self.cancel_button]),
            self.message, self.table, self.progress, self.status, self.summary,
        ]
        self.path.observe(self._load, names="value")
        self.check_button.on_click(self._load)

    def _load(self, _change: object = None) -> None:
        self.check, self.table.value = None, ""
        path = self.path.value.strip()
        if not path:
            self.say("")
            return
        try:
            check = check_batch(path)
        except WorkbenchError as exc:
            self.say(str(exc), "error")
            return
        found = Counter(row.outcome for row in check.rows)
        self.table.value = styled_table(check.to_frame(), "status", _COLOURS,
                                        hide=("destination",))  # the case folder says it
        self.say(f"{len(check.rows)} case(s): {found['ready']} ready, {found['already_done']} "
                 f"already done, {found['invalid']} invalid (skipped when the batch runs).",
                 "warning" if found["invalid"] else "info")
        self.check = check

    def _run(self, _button: object = None) -> None:
        if self.running:
            return
        path = self.path.value.strip()
        if not path:
            self.say("Give the path of a batch CSV first.", "error")
            return
        self.summary.value = ""
        bar, relay = self.new_bar("batch", unit="B", unit_scale=True, unit_divisor=1024)

        parallel = self.parallel.value
        self.say(f"Copying the batch, {parallel} case(s) at once…")
        self.start(lambda token: run_batch(path, on_progress=relay, cancel=token,
                                           parallel=parallel), self._show, bar)

    def cancelled_message(self, report: BatchReport) -> str:
        return f"Batch cancelled ({_listed(report)}); run it again to resume."

    def _show(self, report: BatchReport) -> None:
        self.table.value = ""  # the summary shows every row, the invalid ones included
        self.summary.value = styled_table(report.to_frame(), "outcome", _COLOURS, hide=())
        self.say(*_outcome(report))
        self.report = report

    def __repr__(self) -> str:
        if self.running:
            return "<BatchPanel: running>"
        if self.report is not None:
            return f"<BatchPanel: {self.report.outcome}>"
        return "<BatchPanel: idle>" if self.check is None else (
            f"<BatchPanel: {len(self.check.rows)} cases checked>")

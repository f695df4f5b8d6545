"""`FleetPanel`: audit every case folder under some roots on Dask; failures first."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.batch import FleetReport, audit_cases, fleet_html
from workbench.ui.controls import (
    JobPanel,
    Kind,
    iframe_html,
    lines,
    set_traits,
    styled_table,
    text_area,
    text_field,
)

_STYLE = {"description_width": "110px"}
_WIDE = {"width": "620px"}


def _verdict(report: FleetReport) -> tuple[str, Kind]:
    summary = report.summary()
    if not report.rows:
        return "No case folder found under the roots.", "warning"
    text = (f"{summary['cases']} case folder(s): {summary['cases_ok']} ok, "
            f"{summary['cases_failed']} with problems, {summary['cases_not_audited']} not "
            f"audited, on {report.workers} worker(s).")
    return text, "ok" if report.ok else "error"


class FleetPanel(JobPanel):
    """Audit every case folder under `.roots` (one per line) on the Dask scheduler at
    `.scheduler` (empty: a local cluster); `.report` is the last `FleetReport`."""

    report = traitlets.Instance(FleetReport, allow_none=True)
    """The last fleet report (None before the first run)."""

    def __init__(self, **kwargs: Any) -> None:
        self.roots = text_area(description="Roots", style=_STYLE, layout=_WIDE,
                               placeholder="evidence store folders, one per line")
        self.scheduler = text_field(description="Scheduler", style=_STYLE, layout=_WIDE,
                                    placeholder="tcp://host:8786 (empty: a local cluster)")
        self.pattern = text_field(description="Pattern", style=_STYLE, layout=_WIDE,
                                  placeholder="optional: only case folders matching, e.g. 2026-*")
        self.report_button = widgets.Button(description="Report", icon="file-text",
                                            disabled=True, tooltip="Show the fleet report")
        self.table = widgets.HTML()
        """One row per case folder, failures first and highlighted."""
        self.printable = widgets.HTML()
        """The fleet report, shown by the Report button."""
        super().__init__("fleet")
        self.children = [
            self.roots, self.scheduler, self.pattern,
            widgets.HBox([self.run_button, self.cancel_button, self.report_button]),
            self.message, self.progress, self.status, self.table, self.printable,
        ]
        self.report_button.on_click(self._show_printable)

    def _run(self, _button: object = None) -> None:
        if self.running:
            return
        roots = lines(self.roots.value)
        if not roots:
            self.say("Give at least one folder to search for case folders.", "error")
            return
        scheduler = self.scheduler.value.strip() or None
        pattern = self.pattern.value.strip() or None
        self.table.value = self.printable.value = ""
        bar, relay = self.new_bar("audit", unit="case")

        self.say(f"Auditing on {scheduler or 'a local cluster'}…")
        self.start(lambda token: audit_cases(roots, client=scheduler, pattern=pattern,
                                             on_progress=relay, cancel=token), self._show,
                   bar)

    def _show(self, report: FleetReport) -> None:
        self.table.value = styled_table(report.to_frame(), "ok",
                                        {"False": "background-color:#fde0dc"}, hide=())
        self.say(*_verdict(report))
        set_traits(self.report_button, disabled=False)
        self.report = report

    def _show_printable(self, _button: object = None) -> None:
        if self.report is not None:
            self.printable.value = iframe_html(fleet_html(self.report))

    def __repr__(self) -> str:
        if self.running:
            return "<FleetPanel: running>"
        if self.report is None:
            return "<FleetPanel: idle>"
        return f"<FleetPanel: {'ok' if self.report.ok else 'problems found'}>"

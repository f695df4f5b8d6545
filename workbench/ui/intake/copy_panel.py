"""`CopyPanel`: sources, destinations, Run and Cancel, live progress, and the copy report."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import ipywidgets as widgets
import traitlets

from workbench.cases import CaseData
from workbench.errors import WorkbenchError
from workbench.evidence import source_volume
from workbench.hashing import HashAlgorithm
from workbench.preferences import load_preferences
from workbench.processing import CopyPlan, CopyReport, plan_copy, run_copy
from workbench.reports import write_case_report
from workbench.templates import Template
from workbench.ui.controls import (
    FolderBrowser,
    HashChoice,
    JobPanel,
    Kind,
    Pick,
    describe,
    iframe_html,
    lines,
    message_html,
    set_traits,
    styled_table,
    summary_html,
    text_area,
    text_field,
)

_STATUS_COLOURS = {
    "mismatch": "background-color:#fde0dc",
    "error": "background-color:#fde0dc",
    "cancelled": "background-color:#fff3cd",
}
_STYLE = {"description_width": "110px"}
_WIDE = {"width": "620px"}


class PlanRequest(NamedTuple):
    """What the panel's fields ask to copy, as `plan_copy` arguments."""

    sources: list[str]
    destination: str
    also_to: list[str]
    algorithms: list[HashAlgorithm]


def _listed(report: CopyReport) -> str:
    counts = Counter(row.status for row in report.rows)
    return ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))


def _outcome_message(report: CopyReport) -> tuple[str, Kind]:
    listed = _listed(report)
    if report.outcome == "completed":
        return f"Copy verified: {listed} → {report.plan.destination}", "ok"
    return f"Copy finished with errors ({listed}); see the failed rows below.", "error"


class CopyPanel(JobPanel):
    """Run a verified copy of `.sources` into `.destination` for `.case` and `.template`.

    The copy runs on a worker thread (`.job` is its `Future`) so Cancel and the progress
    bar stay live; the worker only assigns widget traits. When it ends, `.report` holds
    the `CopyReport` and the panel shows its table, the failed rows and a summary.

    Sources are picked with `.browser` (a `FolderBrowser`: drives, then folders) or typed
    and pasted one per line; `.volumes` shows the volume of each source and advises a write
    blocker when one is writable. The browser is built here on ipywidgets: the one ready-made
    picker, ipyfilechooser, works with ipywidgets 8 but has had no release since 2021, lists
    no drives and picks one path for one purpose.
    """

    case = traitlets.Instance(CaseData, allow_none=True)
    template = traitlets.Instance(Template, allow_none=True)
    report = traitlets.Instance(CopyReport, allow_none=True)
    """The last report (None before the first run)."""

    def __init__(self, case: CaseData | None = None, template: Template | None = None,
                 preview: widgets.Widget | None = None, **kwargs: Any) -> None:
        self.browser = FolderBrowser(on_pick=self._picked)
        self.sources = text_area(
            description="Sources", placeholder="one file or folder per line",
            style=_STYLE, layout=_WIDE,
        )
        self.destination = text_field(
            description="Destination", placeholder="folder the case folder is created in",
            style=_STYLE, layout=_WIDE,
        )
        self.also_to = text_area(
            description="Also to", placeholder="working-copy roots, one per line (optional)",
            style=_STYLE, layout=_WIDE,
        )
        self.algorithms = HashChoice()
        self.report_button = widgets.Button(
            description="Report", icon="file-text", disabled=True,
            tooltip="Write and show the case folder's report (HTML and PDF)")
        self.volumes = widgets.HTML()
        """The volume of each source, and an advisory for a writable one."""
        self.summary = widgets.HTML()
        self.report_table = widgets.HTML()
        self.mismatch_table = widgets.HTML()
        self.printable = widgets.HTML()
        """The printable case report, shown by the Report button."""
        super().__init__("copy", **kwargs)
        for name in ("sources", "destination", "also_to", "report_button", "volumes"):
            getattr(self, name).add_class(f"wb-copy-{name.replace('_', '-')}")
        self.report_button.on_click(self._show_printable)
        self.sources.observe(self._show_volumes, names="value")
        browse = widgets.Accordion(children=[self.browser], titles=("Browse drives and folders",),
                                   selected_index=0)
        inputs = [browse, self.sources, self.volumes, self.destination, self.also_to,
                  self.algorithms]
        self.children = [
            *inputs, *([preview] if preview is not None else []),
            widgets.HBox([self.run_button, self.cancel_button, self.report_button]),
            self.message, self.progress, self.status, self.summary,
            self.mismatch_table, self.report_table, self.printable,
        ]
        self._defaults_from_preferences()
        self.case, self.template = case, template

    def _defaults_from_preferences(self) -> None:
        try:
            prefs = load_preferences()
        except WorkbenchError as exc:
            self.say(str(exc), "warning")
            return
        self.algorithms.value = tuple(prefs.hash_algorithms)
        if prefs.destination_root is not None:
            self.destination.value = str(prefs.destination_root)

    def request(self) -> PlanRequest:
        """The fields as `plan_copy` arguments."""
        return PlanRequest(
            sources=lines(self.sources.value), destination=self.destination.value.strip(),
            also_to=lines(self.also_to.value), algorithms=list(self.algorithms.value),
        )

    def _picked(self, kind: Pick, path: Path) -> None:
        """A path from the browser: appended to the sources or working copies, or the
        destination."""
        if kind == "destination":
            self.destination.value = str(path)
            return
        field = self.sources if kind == "source" else self.also_to
        if str(path) not in lines(field.value):
            field.value = "\n".join([*lines(field.value), str(path)])

    def _show_volumes(self, _change: object = None) -> None:
        notes = []
        for source in lines(self.sources.value):
            try:
                volume = source_volume(source)
            except WorkbenchError:
                continue  # the plan preview names a missing source
            notes.append(message_html(f"{volume.source} is on {volume.summary()}"))
            if volume.advisory:
                notes.append(message_html(f"Advisory: {volume.advisory}", "warning"))
        self.volumes.value = "<br>".join(notes)

    def _run(self, _button: object = None) -> None:
        if self.running:
            return
        for output in (self.summary, self.report_table, self.mismatch_table, self.printable):
            output.value = ""
        self.progress.children = ()
        plan = self._plan()
        if plan is None:
            return
        to_read = {item.source for item in plan.items if item.action == "copy"}
        bar, relay = self.new_bar("copy", unit="B", unit_scale=True, unit_divisor=1024)
        self.say(f"Copying {len(to_read)} files to {len(plan.targets)} destination(s)…")
        self.start(lambda token: run_copy(plan, on_progress=relay, cancel=token), self._show, bar)

    def cancelled_message(self, report: CopyReport) -> str:
        return f"Copy cancelled ({_listed(report)}); no partial file was left."

    def _plan(self) -> CopyPlan | None:
        if self.case is None:
            self.say("The case has problems; fix the case form before copying.", "error")
            return None
        if self.template is None:
            self.say("Choose a template before copying.", "error")
            return None
        request = self.request()
        if not request.sources or not request.destination:
            self.say("Give at least one source and a destination.", "error")
            return None
        try:
            return plan_copy(request.sources, self.case, self.template, request.destination,
                             also_to=request.also_to, algorithms=request.algorithms or None)
        except WorkbenchError as exc:
            self.say(str(exc), "error")
            return None

    def _show(self, report: CopyReport) -> None:
        self.summary.value = summary_html(report.summary())
        failed = report.mismatches()
        self.mismatch_table.value = (
            "<b>Failed rows</b>" + styled_table(failed, "status", _STATUS_COLOURS)
            if len(failed) else ""
        )
        self.report_table.value = styled_table(report.to_frame(), "status", _STATUS_COLOURS)
        self.say(*_outcome_message(report))
        set_traits(self.report_button, disabled=False)
        self.report = report

    # -- printable report (kernel thread) ------------------------------------------------

    def _show_printable(self, _button: object = None) -> None:
        if self.report is None:
            return
        try:
            html_path, pdf_path = write_case_report(self.report.plan.destination)
            page = html_path.read_text(encoding="utf-8")
        except (WorkbenchError, OSError) as exc:
            self.say(describe(exc), "error")
            return
        self.printable.value = (
            f'<p class="wb-report-paths">Written to the case folder: '
            f"<code>{html.escape(str(html_path))}</code> and "
            f"<code>{html.escape(str(pdf_path))}</code></p>{iframe_html(page)}"
        )

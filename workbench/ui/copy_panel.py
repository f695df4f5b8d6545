"""`CopyPanel`: sources, destinations, Run and Cancel, live progress, and the copy report."""

from __future__ import annotations

import html
import logging
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, NamedTuple, get_args

import ipywidgets as widgets
import traitlets
from tqdm.notebook import tqdm

from workbench.cases import CaseData
from workbench.errors import WorkbenchError
from workbench.events import CancelToken
from workbench.evidence import ProgressEvent
from workbench.hashing import HashAlgorithm
from workbench.preferences import load_preferences
from workbench.processing import CopyPlan, CopyReport, plan_copy, run_copy
from workbench.reports import report_html
from workbench.templates import Template
from workbench.ui.common import Kind, describe, lines, message_html, text_area, text_field
from workbench.ui.printable import iframe_html
from workbench.ui.tree_preview import styled_table

log = logging.getLogger(__name__)

STATUS_INTERVAL = 0.1
"""Seconds between two status-line updates from the worker (at most ~10 a second)."""
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


def _set(widget: widgets.Widget, **traits: Any) -> None:
    """Assign several traits of one widget in one front-end message."""
    with widget.hold_sync():
        for name, value in traits.items():
            setattr(widget, name, value)


class _ProgressRelay:
    """Turns `ProgressEvent`s (on the worker thread) into bar updates and a status line."""

    def __init__(self, bar: tqdm[Any], status: widgets.HTML) -> None:
        self.bar, self.status = bar, status
        self.done = 0
        self.shown = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        self.bar.update(event.bytes_done - self.done)
        self.done = event.bytes_done
        now = time.monotonic()
        if now - self.shown >= STATUS_INTERVAL or event.files_done == event.files_total:
            self.shown = now
            _set(self.status, value=message_html(
                f"{event.files_done}/{event.files_total} files · {event.speed_mbps:.0f} MB/s · "
                f"{event.current_file}"
            ))


def _outcome_message(report: CopyReport) -> tuple[str, Kind]:
    counts = Counter(row.status for row in report.rows)
    listed = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    if report.outcome == "completed":
        return f"Copy verified: {listed} → {report.plan.destination}", "ok"
    if report.outcome == "cancelled":
        return f"Copy cancelled ({listed}); no partial file was left.", "warning"
    return f"Copy finished with errors ({listed}); see the failed rows below.", "error"


class CopyPanel(widgets.VBox):
    """Run a verified copy of `.sources` into `.destination` for `.case` and `.template`.

    The copy runs on a worker thread (`.job` is its `Future`) so Cancel and the progress
    bar stay live; the worker only assigns widget traits. When it ends, `.report` holds
    the `CopyReport` and the panel shows its table, the failed rows and a summary.

    Sources are paths typed or pasted one per line, with no folder-picker widget: the
    only one, ipyfilechooser, has not been released since 2021, and it browses the
    kernel's file system just as a pasted path names it.
    """

    case = traitlets.Instance(CaseData, allow_none=True)
    template = traitlets.Instance(Template, allow_none=True)
    report = traitlets.Instance(CopyReport, allow_none=True)
    """The last report (None before the first run)."""

    def __init__(self, case: CaseData | None = None, template: Template | None = None,
                 preview: widgets.Widget | None = None, **kwargs: Any) -> None:
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
        self.algorithms = widgets.SelectMultiple(
            description="Hashes", options=get_args(HashAlgorithm), rows=5, style=_STYLE,
            value=["blake3", "xxh128"],
        )
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop", disabled=True)
        self.report_button = widgets.Button(description="Report", icon="file-text",
                                            disabled=True, tooltip="Show the printable report")
        self.message = widgets.HTML()
        self.status = widgets.HTML()
        self.progress = widgets.Box()
        """Holds the progress bar of the current run."""
        self.summary = widgets.HTML()
        self.report_table = widgets.HTML()
        self.mismatch_table = widgets.HTML()
        self.printable = widgets.HTML()
        """The printable case report, shown by the Report button."""
        self.job: Future[CopyReport | None] | None = None
        self._token: CancelToken | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-copy")
        for name in ("sources", "destination", "also_to", "run_button", "cancel_button",
                     "report_button", "message"):
            getattr(self, name).add_class(f"wb-copy-{name.replace('_', '-')}")
        self.run_button.on_click(self._run)
        self.cancel_button.on_click(self._cancel)
        self.report_button.on_click(self._show_printable)
        inputs = [self.sources, self.destination, self.also_to, self.algorithms]
        super().__init__(children=[
            *inputs, *([preview] if preview is not None else []),
            widgets.HBox([self.run_button, self.cancel_button, self.report_button]),
            self.message, self.progress, self.status, self.summary,
            self.mismatch_table, self.report_table, self.printable,
        ], **kwargs)
        self.add_class("wb-copy-panel")
        self._defaults_from_preferences()
        self.case, self.template = case, template

    def _defaults_from_preferences(self) -> None:
        try:
            prefs = load_preferences()
        except WorkbenchError as exc:
            self._say(str(exc), "warning")
            return
        self.algorithms.value = prefs.hash_algorithms
        if prefs.destination_root is not None:
            self.destination.value = str(prefs.destination_root)

    def request(self) -> PlanRequest:
        """The fields as `plan_copy` arguments."""
        return PlanRequest(
            sources=lines(self.sources.value), destination=self.destination.value.strip(),
            also_to=lines(self.also_to.value), algorithms=list(self.algorithms.value),
        )

    def _say(self, text: str, kind: Kind = "info") -> None:
        self.message.value = message_html(text, kind)

    # -- run (kernel thread) -------------------------------------------------------------

    def _run(self, _button: object = None) -> None:
        if self.job is not None and not self.job.done():
            return
        for output in (self.status, self.summary, self.report_table, self.mismatch_table,
                       self.printable):
            output.value = ""
        self.progress.children = ()
        plan = self._plan()
        if plan is None:
            return
        to_read = {item.source: item.size for item in plan.items if item.action == "copy"}
        bar = tqdm(total=sum(to_read.values()), desc="copy", unit="B", unit_scale=True,
                   unit_divisor=1024, display=False)
        self.progress.children = (bar.container,)
        self._token = CancelToken()
        _set(self.run_button, disabled=True)
        _set(self.cancel_button, disabled=False)
        self._say(f"Copying {len(to_read)} files to {len(plan.targets)} destination(s)…")
        self.job = self._executor.submit(self._work, plan, self._token, bar)

    def _plan(self) -> CopyPlan | None:
        if self.case is None:
            self._say("The case has problems; fix the case form before copying.", "error")
            return None
        if self.template is None:
            self._say("Choose a template before copying.", "error")
            return None
        request = self.request()
        if not request.sources or not request.destination:
            self._say("Give at least one source and a destination.", "error")
            return None
        try:
            return plan_copy(request.sources, self.case, self.template, request.destination,
                             also_to=request.also_to, algorithms=request.algorithms or None)
        except WorkbenchError as exc:
            self._say(str(exc), "error")
            return None

    def _cancel(self, _button: object = None) -> None:
        if self._token is not None and self.job is not None and not self.job.done():
            self._token.cancel()
            _set(self.cancel_button, disabled=True)
            self._say("Cancelling…", "warning")

    # -- worker thread: assigns traits only ----------------------------------------------

    def _work(self, plan: CopyPlan, token: CancelToken, bar: tqdm[Any]) -> CopyReport | None:
        try:
            report = run_copy(plan, on_progress=_ProgressRelay(bar, self.status), cancel=token)
            bar.close()
            self._show(report)
            return report
        except Exception as exc:
            if not isinstance(exc, WorkbenchError):
                log.exception("copy failed")
            bar.close()
            self._say(describe(exc), "error")
            return None
        finally:
            _set(self.run_button, disabled=False)
            _set(self.cancel_button, disabled=True)

    def _show(self, report: CopyReport) -> None:
        summary = report.summary()
        self.summary.value = '<div class="wb-summary">' + " · ".join(
            f"{html.escape(str(key).replace('_', ' '))} <b>{html.escape(_plain(value))}</b>"
            for key, value in summary.items()
        ) + "</div>"
        failed = report.mismatches()
        self.mismatch_table.value = (
            "<b>Failed rows</b>" + styled_table(failed, "status", _STATUS_COLOURS)
            if len(failed) else ""
        )
        self.report_table.value = styled_table(report.to_frame(), "status", _STATUS_COLOURS)
        self._say(*_outcome_message(report))
        _set(self.report_button, disabled=False)
        self.report = report

    # -- printable report (kernel thread) ------------------------------------------------

    def _show_printable(self, _button: object = None) -> None:
        if self.report is None:
            return
        try:
            page = report_html(self.report)
        except Exception as exc:
            self._say(describe(exc), "error")
            return
        self.printable.value = iframe_html(page)

    def close(self) -> None:
        """Cancel a running copy, stop the worker thread and close the widget."""
        if self._token is not None:
            self._token.cancel()
        self._executor.shutdown(wait=False)
        super().close()

    def __repr__(self) -> str:
        if self.job is not None and not self.job.done():
            return "<CopyPanel: running>"
        if self.report is None:
            return "<CopyPanel: idle>"
        return f"<CopyPanel: {self.report.outcome}>"


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


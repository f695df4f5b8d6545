"""`ExportPanel`: package a case folder as a verified ZIP or a BagIt bag, with Run and Cancel."""

from __future__ import annotations

import html
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import ipywidgets as widgets
import traitlets
from tqdm.notebook import tqdm

from workbench.errors import WorkbenchError
from workbench.events import CancelToken
from workbench.exports import ExportReport, export_case
from workbench.ui.controls import (
    Kind,
    ProgressRelay,
    describe,
    message_html,
    set_traits,
    styled_table,
    text_field,
)

log = logging.getLogger(__name__)

_STYLE = {"description_width": "110px"}
_WIDE = {"width": "620px"}
_AUDIT_COLOURS = {"modified": "background-color:#fde0dc", "extra": "background-color:#fff3cd"}
_SHOWN_COLUMNS = ["name", "kind", "size", "blake3", "audit", "verified"]


class ExportPanel(widgets.VBox):
    """Export `.case_dir` to `.out_dir` as `.format` (zip or bagit) on a worker thread.

    `.job` is the running export's `Future`; `.report` holds the last `ExportReport`. After
    a copy the app fills `.case_dir` with its case folder. An audit that finds problems is
    refused unless `.allow_failed` is ticked.
    """

    report = traitlets.Instance(ExportReport, allow_none=True)
    """The last export (None before the first)."""

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
        self.run_button = widgets.Button(description="Export", icon="archive",
                                         button_style="primary")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop", disabled=True)
        self.message = widgets.HTML()
        self.status = widgets.HTML()
        self.progress = widgets.Box()
        """Holds the progress bar of the current export."""
        self.summary = widgets.HTML()
        self.members_table = widgets.HTML()
        self.job: Future[ExportReport | None] | None = None
        self._token: CancelToken | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-export")
        for name in ("case_dir", "out_dir", "run_button", "cancel_button", "message"):
            getattr(self, name).add_class(f"wb-export-{name.replace('_', '-')}")
        self.run_button.on_click(self._run)
        self.cancel_button.on_click(self._cancel)
        super().__init__(children=[
            widgets.HTML("<b>Export</b> — a verified ZIP for disclosure, or a BagIt bag for "
                         "an archive; the case folder is audited in the same read"),
            self.case_dir, self.format, self.out_dir, self.allow_failed,
            widgets.HBox([self.run_button, self.cancel_button]),
            self.message, self.progress, self.status, self.summary, self.members_table,
        ], **kwargs)
        self.add_class("wb-export-panel")

    def _say(self, text: str, kind: Kind = "info") -> None:
        self.message.value = message_html(text, kind)

    # -- run (kernel thread) -------------------------------------------------------------

    def _run(self, _button: object = None) -> None:
        if self.job is not None and not self.job.done():
            return
        case_dir, out_dir = self.case_dir.value.strip(), self.out_dir.value.strip()
        if not case_dir or not out_dir:
            self._say("Give the case folder and the folder to export to.", "error")
            return
        for output in (self.status, self.summary, self.members_table):
            output.value = ""
        bar = tqdm(total=0, desc=self.format.value, unit="B", unit_scale=True,
                   unit_divisor=1024, display=False)
        self.progress.children = (bar.container,)
        self._token = CancelToken()
        set_traits(self.run_button, disabled=True)
        set_traits(self.cancel_button, disabled=False)
        self._say(f"Exporting {case_dir} as {self.format.value}…")
        self.job = self._executor.submit(self._work, case_dir, self.format.value, out_dir,
                                         self.allow_failed.value, self._token, bar)

    def _cancel(self, _button: object = None) -> None:
        if self._token is not None and self.job is not None and not self.job.done():
            self._token.cancel()
            set_traits(self.cancel_button, disabled=True)
            self._say("Cancelling…", "warning")

    # -- worker thread: assigns traits only ----------------------------------------------

    def _work(self, case_dir: str, fmt: Any, out_dir: str, allow_failed: bool,
              token: CancelToken, bar: tqdm[Any]) -> ExportReport | None:
        try:
            report = export_case(case_dir, fmt, out_dir, allow_failed=allow_failed,
                                 on_progress=ProgressRelay(bar, self.status), cancel=token)
            bar.close()
            self._show(report)
            return report
        except Exception as exc:
            if not isinstance(exc, WorkbenchError):
                log.exception("export failed")
            bar.close()
            cancelled = isinstance(exc, WorkbenchError) and exc.type == "Cancelled"
            self._say("Export cancelled; nothing was left behind." if cancelled
                      else describe(exc), "warning" if cancelled else "error")
            return None
        finally:
            set_traits(self.run_button, disabled=False)
            set_traits(self.cancel_button, disabled=True)

    def _show(self, report: ExportReport) -> None:
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
            self._say(f"Exported and verified, but the record is incomplete: {errors}", "warning")
        elif problems:
            self._say(f"Exported and verified with {problems} audit problem(s), recorded in "
                      "the package.", "warning")
        else:
            self._say(f"Exported and verified: {len(report.members)} files → {report.path}",
                      "ok")
        self.report = report

    def close(self) -> None:
        """Cancel a running export, stop the worker thread and close the widget."""
        if self._token is not None:
            self._token.cancel()
        self._executor.shutdown(wait=False)
        super().close()

    def __repr__(self) -> str:
        if self.job is not None and not self.job.done():
            return "<ExportPanel: running>"
        if self.report is None:
            return "<ExportPanel: idle>"
        return f"<ExportPanel: {self.report.format} verified={self.report.verified}>"

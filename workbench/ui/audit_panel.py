"""`AuditPanel`: verify a folder against its own record or another tool's, or compare two
folders; the work runs on a worker thread, problems are highlighted in the tables."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import ipywidgets as widgets
import pandas as pd
import traitlets
from tqdm.notebook import tqdm

from workbench.errors import WorkbenchError
from workbench.events import CancelToken
from workbench.evidence import VerifyReport, verify_case
from workbench.hashing import FolderComparison, compare_folders
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
R = TypeVar("R", VerifyReport, FolderComparison)


class AuditPanel(widgets.VBox):
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
            placeholder="optional: a checksum list, hashdeep file, hash CSV, history or bag",
        )
        self.other = text_field(description="Compare with", style=_STYLE, layout=_WIDE,
                                placeholder="the second folder")
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop", disabled=True)
        self.message = widgets.HTML()
        self.progress = widgets.Box()
        """Holds the progress bar of the current check."""
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.records = widgets.HTML()
        """Which record(s) the check used."""
        self.problems = widgets.HTML()
        """Record problems and the rows that are not ok."""
        self.result_table = widgets.HTML()
        self.job: Future[Result | None] | None = None
        self._token: CancelToken | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-audit")
        for name in ("folder", "record", "other", "run_button", "cancel_button", "message"):
            getattr(self, name).add_class(f"wb-audit-{name.replace('_', '-')}")
        self.run_button.on_click(self._run)
        self.cancel_button.on_click(self._cancel)
        self.mode.observe(self._mode_changed, names="value")
        super().__init__(children=[
            self.mode, self.folder, self.record, self.other,
            widgets.HBox([self.run_button, self.cancel_button]), self.message, self.progress,
            self.status, self.summary, self.records, self.problems, self.result_table,
        ], **kwargs)
        self.add_class("wb-audit-panel")
        self._mode_changed()

    def _mode_changed(self, _change: object = None) -> None:
        comparing = self.mode.value == COMPARE
        self.record.layout.display = "none" if comparing else None
        self.other.layout.display = None if comparing else "none"

    def _say(self, text: str, kind: Kind = "info") -> None:
        self.message.value = message_html(text, kind)

    # -- run (kernel thread) -------------------------------------------------------------

    def _run(self, _button: object = None) -> None:
        if self.job is not None and not self.job.done():
            return
        for output in (self.status, self.summary, self.records, self.problems,
                       self.result_table):
            output.value = ""
        self.progress.children = ()
        folder, other = self.folder.value.strip(), self.other.value.strip()
        if not folder or (self.mode.value == COMPARE and not other):
            self._say("Give the folder" + (" and the folder to compare it with."
                                           if self.mode.value == COMPARE else "."), "error")
            return
        self._token = CancelToken()
        set_traits(self.run_button, disabled=True)
        set_traits(self.cancel_button, disabled=False)
        if self.mode.value == COMPARE:
            self._say(f"Comparing {folder} with {other}…")
            self.job = self._executor.submit(self._compare, folder, other, self._token)
            return
        bar = tqdm(total=0, desc="verify", unit="B", unit_scale=True, unit_divisor=1024,
                   display=False)
        self.progress.children = (bar.container,)
        self._say(f"Verifying {folder}…")
        self.job = self._executor.submit(self._verify, folder, self.record.value.strip(),
                                         self._token, bar)

    def _cancel(self, _button: object = None) -> None:
        if self._token is not None and self.job is not None and not self.job.done():
            self._token.cancel()
            set_traits(self.cancel_button, disabled=True)
            self._say("Cancelling…", "warning")

    # -- worker thread: assigns traits only ----------------------------------------------

    def _verify(self, folder: str, record: str, token: CancelToken, bar: tqdm[Any]
                ) -> VerifyReport | None:
        relay = ProgressRelay(bar, self.status)

        def on_progress(event: Any) -> None:
            if bar.total != event.bytes_total:
                bar.total = event.bytes_total
            relay(event)

        def work() -> VerifyReport:
            return verify_case(folder, against=record or None, on_progress=on_progress,
                               cancel=token)

        try:
            return self._finish(work)
        finally:
            bar.close()

    def _compare(self, folder: str, other: str, token: CancelToken) -> FolderComparison | None:
        return self._finish(lambda: compare_folders(folder, other, cancel=token))

    def _finish(self, work: Callable[[], R]) -> R | None:
        try:
            result = work()
        except Exception as exc:
            if not isinstance(exc, WorkbenchError):
                log.exception("audit failed")
            self._say(describe(exc), "error")
            return None
        finally:
            set_traits(self.run_button, disabled=False)
            set_traits(self.cancel_button, disabled=True)
        self._show(result)
        return result

    def _show(self, result: Result) -> None:
        self.summary.value = _summary_html(result.summary())
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
            self._say(*_verdict(result.ok, f"{result.case_dir} matches its record",
                                "Problems found: see the highlighted rows"))
        else:
            self.problems.value = (
                "<b>Differences</b>" + styled_table(result.differences(), "status", _COLOURS)
                if not result.ok else ""
            )
            self.result_table.value = styled_table(result.to_frame(), "status", _COLOURS)
            self._say(*_verdict(result.ok, "Both folders hold the same files",
                                "The folders differ: see the highlighted rows"))
        self.report = result

    def close(self) -> None:
        """Cancel a running check, stop the worker thread and close the widget."""
        if self._token is not None:
            self._token.cancel()
        self._executor.shutdown(wait=False)
        super().close()

    def __repr__(self) -> str:
        if self.job is not None and not self.job.done():
            return "<AuditPanel: running>"
        if self.report is None:
            return "<AuditPanel: idle>"
        return f"<AuditPanel: {'ok' if self.report.ok else 'problems found'}>"


def _verdict(ok: bool, good: str, bad: str) -> tuple[str, Kind]:
    return (f"{good}.", "ok") if ok else (f"{bad}.", "error")


def _tool(tool: str | None) -> str:
    return f" ({html.escape(tool)})" if tool else ""


def _summary_html(summary: dict[str, Any]) -> str:
    return '<div class="wb-summary">' + " · ".join(
        f"{html.escape(str(key).replace('_', ' '))} <b>{html.escape(str(value))}</b>"
        for key, value in summary.items()
    ) + "</div>"

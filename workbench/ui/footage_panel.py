"""`FootagePanel`: what an export holds — cameras, coverage of the window, problems, keyframes."""

from __future__ import annotations

import html
import logging
from concurrent.futures import Future
from datetime import datetime
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets
from tqdm.notebook import tqdm

from workbench.cases import CaseData
from workbench.errors import WorkbenchError
from workbench.events import CancelToken
from workbench.media import (
    Coverage,
    MediaProgress,
    MediaReport,
    coverage,
    probe_media,
    to_real,
)
from workbench.ui.background import Background
from workbench.ui.common import Kind, describe, message_html, text_field
from workbench.ui.tree_preview import styled_table

log = logging.getLogger(__name__)

_PROBLEM = {"problem": "background-color:#fde0dc"}
_STYLE = {"description_width": "110px"}
_WHEN = "%Y-%m-%d %H:%M:%S"


class _ProgressRelay:
    """`MediaProgress` (worker thread) into the bar: its total once known, then each file."""

    def __init__(self, bar: tqdm[Any], status: widgets.HTML) -> None:
        self.bar, self.status = bar, status

    def __call__(self, event: MediaProgress) -> None:
        if self.bar.total != event.files_total:
            self.bar.reset(total=event.files_total)
        self.bar.update(int(event.files_done - self.bar.n))
        self.status.value = message_html(
            f"{event.files_done}/{event.files_total} files · {event.current}")


class FootagePanel(widgets.VBox):
    """Probe a case folder (or a source) for its footage and show what it holds.

    `.folder` is the folder to analyse, `.run_button` / `.cancel_button` start and stop
    the analysis, which runs on a worker thread (`.job` is its `Future`); the worker only
    assigns widget traits. When it ends, `.report` holds the `MediaReport` and `.coverage`
    the `Coverage` of `.case`'s window, shown as a table, a timeline, the problems, a
    contact sheet and every clip.
    """

    case = traitlets.Instance(CaseData, allow_none=True)
    report = traitlets.Instance(MediaReport, allow_none=True)
    """The last analysis (None before the first)."""

    def __init__(self, case: CaseData | None = None, **kwargs: Any) -> None:
        self.folder = text_field(description="Folder", style=_STYLE,
                                 layout={"width": "620px"},
                                 placeholder="a case folder, or a source before copying")
        self.run_button = widgets.Button(description="Analyse", icon="film",
                                         button_style="primary")
        self.cancel_button = widgets.Button(description="Cancel", icon="stop", disabled=True)
        self.message = widgets.HTML()
        self.status = widgets.HTML()
        self.progress = widgets.Box()
        """Holds the progress bar of the current analysis."""
        self.summary = widgets.HTML()
        self.coverage_table = widgets.HTML()
        self.timeline = widgets.Image(format="png", layout={"max_width": "100%"})
        self.problems_table = widgets.HTML()
        self.contact_sheet = widgets.Image(format="jpeg", layout={"max_width": "100%"})
        self.clips_table = widgets.HTML()
        self.coverage: Coverage | None = None
        """The coverage of the last analysis."""
        self.background: Background[MediaReport | None] = Background(
            self.run_button, self.cancel_button, "workbench-footage")
        for name in ("folder", "run_button", "cancel_button", "message", "summary",
                     "coverage_table", "timeline", "problems_table", "contact_sheet",
                     "clips_table"):
            getattr(self, name).add_class(f"wb-footage-{name.replace('_', '-')}")
        self.run_button.on_click(self._run)
        self.cancel_button.on_click(self._cancel)
        super().__init__(children=[
            self.folder, widgets.HBox([self.run_button, self.cancel_button]), self.message,
            self.progress, self.status, self.summary, self.coverage_table, self.timeline,
            self.problems_table, self.contact_sheet, self.clips_table,
        ], **kwargs)
        self.add_class("wb-footage-panel")
        self.case = case

    @property
    def job(self) -> Future[MediaReport | None] | None:
        """The `Future` of the running (or last) analysis; None before the first."""
        return self.background.job

    def analyse(self, folder: str) -> None:
        """Fill in `folder` and start its analysis (the Copy tab's offer after a copy)."""
        self.folder.value = folder
        self._run()

    def _say(self, text: str, kind: Kind = "info") -> None:
        self.message.value = message_html(text, kind)

    # -- run (kernel thread) -------------------------------------------------------------

    def _run(self, _button: object = None) -> None:
        if self.background.running:
            return
        folder = self.folder.value.strip()
        if not folder:
            self._say("Give the folder to analyse: a case folder, or a source.", "error")
            return
        for output in (self.status, self.summary, self.coverage_table, self.problems_table,
                       self.clips_table):
            output.value = ""
        self.timeline.value = self.contact_sheet.value = b""
        bar = tqdm(total=0, desc="footage", unit="file", display=False)
        self.progress.children = (bar.container,)
        self._say(f"Analysing {folder}…")
        case = self.case
        self.background.start(lambda token: self._work(folder, case, token, bar))

    def _cancel(self, _button: object = None) -> None:
        if self.background.cancel():
            self._say("Cancelling…", "warning")

    # -- worker thread: assigns traits only ----------------------------------------------

    def _work(self, folder: str, case: CaseData | None, token: CancelToken,
              bar: tqdm[Any]) -> MediaReport | None:
        try:
            media = probe_media(folder, case=case, on_progress=_ProgressRelay(bar, self.status),
                                cancel=token)
            cover = coverage(media)
            timeline, sheet = cover.figure().png(), media.contact_sheet().jpeg
            bar.close()
            self._show(media, cover, timeline, sheet)
            return media
        except Exception as exc:
            if not isinstance(exc, WorkbenchError):
                log.exception("footage analysis failed")
            bar.close()
            self._say(describe(exc), "error")
            return None

    def _show(self, media: MediaReport, cover: Coverage, timeline: bytes, sheet: bytes) -> None:
        summary = media.summary()
        self.summary.value = '<div class="wb-summary">' + "<br>".join(
            html.escape(line) for line in cover.summary_lines()) + "</div>"
        self.coverage_table.value = "<b>Coverage</b>" + styled_table(
            _coverage_rows(cover), "status", _PROBLEM)
        self.timeline.value = timeline
        problems = media.problems()
        self.problems_table.value = (
            f"<b>Problems ({len(problems)})</b>" + styled_table(problems, "", {})
            if len(problems) else "<b>Problems</b>: none")
        self.contact_sheet.value = sheet
        self.clips_table.value = "<b>Clips</b>" + styled_table(
            _clip_rows(media), "status", _PROBLEM)
        if media.outcome == "cancelled":
            self._say(f"Analysis cancelled: {summary['files']} files listed, the rest not "
                      "read.", "warning")
        elif summary["problems"]:
            self._say(f"{summary['video']} video files of {summary['cameras']} cameras; "
                      f"{summary['problems']} with problems (see below).", "warning")
        else:
            self._say(f"{summary['video']} video files of {summary['cameras']} cameras, "
                      "all readable.", "ok")
        self.coverage = cover
        self.report = media

    def close(self) -> None:
        """Cancel a running analysis, stop the worker thread and close the widget."""
        self.background.close()
        super().close()

    def __repr__(self) -> str:
        if self.background.running:
            return "<FootagePanel: running>"
        if self.report is None:
            return "<FootagePanel: idle>"
        summary = self.report.summary()
        return (f"<FootagePanel: {summary['files']} files, {summary['cameras']} cameras, "
                f"{summary['problems']} problems>")


def _coverage_rows(cover: Coverage) -> pd.DataFrame:
    """One row per camera, as the analyst reads it (both clocks, shares to a tenth)."""
    frame: pd.DataFrame = pd.DataFrame([
        {
            "camera": camera.camera, "clips": camera.clips, "damaged": camera.problems,
            "outside window": len(camera.outside),
            "recorded": _pct(camera.covered_pct), "playable": _pct(camera.playable_pct),
            "gaps (recorder clock)": ", ".join(
                f"{gap.start:%H:%M:%S}–{gap.end:%H:%M:%S}" for gap in camera.gaps) or "none",
            "first – last (recorder)": _span(camera.recorded[0].start, camera.recorded[-1].end),
            "first – last (real)": _span(to_real(camera.recorded[0].start, cover.dvr_offset),
                                         to_real(camera.recorded[-1].end, cover.dvr_offset)),
            "status": "problem" if camera.gaps or camera.problems else "ok",
        }
        for camera in cover.cameras
    ])
    return frame


def _clip_rows(media: MediaReport) -> pd.DataFrame:
    """One row per file: what it is and when it was recorded, on both clocks."""
    offset = media.dvr_offset
    frame: pd.DataFrame = pd.DataFrame([
        {
            "file": row.relative.as_posix(), "camera": row.camera, "kind": row.kind,
            "codec": row.video_codec or row.audio_codec or "",
            "picture": f"{row.width}×{row.height}" if row.width else "",
            "fps": f"{row.avg_frame_rate:g}" if row.avg_frame_rate else "",
            "duration": f"{row.duration_s:.0f} s" if row.duration_s else "",
            "recorder start": _moment(row.recorder_start),
            "real start": _moment(to_real(row.recorder_start, offset)),
            "time from": row.time_source or "", "problem": row.problem.type if row.problem else "",
            "status": "problem" if row.problem else "",
        }
        for row in media.rows
    ])
    return frame


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _moment(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:{_WHEN}}"


def _span(first: datetime | None, last: datetime | None) -> str:
    return f"{_moment(first)} – {_moment(last)}"

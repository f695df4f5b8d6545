"""`FootagePanel`: what an export holds — cameras, coverage of the window, problems, keyframes."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbench.cases import CaseData
from workbench.errors import MediaError
from workbench.media import (
    Coverage,
    MediaReport,
    Span,
    coverage,
    match_name,
    probe_media,
    rates_from_text,
)
from workbench.ui.controls import (
    BrowseRow,
    JobPanel,
    picture,
    show_picture,
    styled_table,
    text_field,
)
from workbench.ui.review.derived_panel import DerivedVideoPanel

_PROBLEM = {"problem": "background-color:#fde0dc"}
_STYLE = {"description_width": "110px"}
_WHEN = "%Y-%m-%d %H:%M:%S"


class FootagePanel(JobPanel):
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
        self.rates = widgets.Textarea(
            description="Frame rates", style=_STYLE, layout={"width": "620px", "height": "48px"},
            placeholder="only where a recorder wrote none or a wrong one: FILE_OR_CAMERA=FPS, "
                        "one a line (ch03=12, ch01.264=30000/1001)")
        self.summary = widgets.HTML()
        self.coverage_table = widgets.HTML()
        self.timeline = picture("png", max_width="100%")
        self.problems_table = widgets.HTML()
        self.contact_sheet = picture("jpeg", max_width="100%")
        self.clips_table = widgets.HTML()
        self.name_test = widgets.Textarea(
            description="Test names", style=_STYLE, layout={"width": "620px", "height": "60px"},
            placeholder="file names or relative paths, one a line")
        self.name_test_button = widgets.Button(description="Test", icon="search")
        self.name_result = widgets.HTML()
        self.name_test_button.on_click(self._test_names)
        self.coverage: Coverage | None = None
        """The coverage of the last analysis."""
        self.derived = DerivedVideoPanel(folder=self.folder)
        """Playable copies and the timeline video of the same folder."""
        super().__init__("footage", **kwargs)
        self.run_button.description, self.run_button.icon = "Analyse", "film"
        for name in ("folder", "rates", "summary", "coverage_table", "timeline",
                     "problems_table", "contact_sheet", "clips_table"):
            getattr(self, name).add_class(f"wb-footage-{name.replace('_', '-')}")
        self.children = [
            BrowseRow(self.folder), self.rates,
            widgets.HBox([self.run_button, self.cancel_button]),
            self.message,
            self.progress, self.status, self.summary, self.coverage_table, self.timeline,
            self.problems_table, self.contact_sheet, self.clips_table, self.derived,
            widgets.HBox([self.name_test, self.name_test_button]), self.name_result,
        ]
        self.case = case

    def _test_names(self, _button: object = None) -> None:
        """Which pattern reads each name in the tester, and what it reads (quick: the
        kernel's thread)."""
        names = [line.strip() for line in self.name_test.value.splitlines() if line.strip()]
        try:
            readings = match_name(*names)
        except MediaError as exc:
            self.name_result.value = f'<span class="wb-error">{html.escape(str(exc))}</span>'
            return
        self.name_result.value = "<br>".join(
            html.escape(reading.describe()) for reading in readings)

    @traitlets.observe("case")
    def _case_changed(self, change: dict[str, Any]) -> None:
        self.derived.set_window(change["new"])

    def analyse(self, folder: str) -> None:
        """Fill in `folder` and start its analysis (the Copy tab's offer after a copy)."""
        self.folder.value = folder
        self._run()

    def _run(self, _button: object = None) -> None:
        if self.running:
            return
        folder = self.folder.value.strip()
        if not folder:
            self.say("Give the folder to analyse: a case folder, or a source.", "error")
            return
        try:
            rates = rates_from_text(self.rates.value.splitlines(), "Frame rates")
        except MediaError as exc:
            self.say(str(exc), "error")
            return
        for output in (self.summary, self.coverage_table, self.problems_table,
                       self.clips_table):
            output.value = ""
        show_picture(self.timeline, b"")
        show_picture(self.contact_sheet, b"")
        bar, relay = self.new_bar("footage", unit="file")
        self.say(f"Analysing {folder}…")
        case = self.case

        self.start(lambda token: probe_media(folder, case=case, on_progress=relay,
                                             cancel=token, rates=rates), self._show, bar)

    def _show(self, media: MediaReport) -> None:
        """Coverage, timeline and contact sheet are drawn here, still on the worker thread."""
        cover = coverage(media)
        timeline, sheet = cover.figure().png(), media.contact_sheet().jpeg
        summary = media.summary()
        self.summary.value = '<div class="wb-summary">' + "<br>".join(
            html.escape(line) for line in cover.summary_lines()) + "</div>"
        self.coverage_table.value = "<b>Coverage</b>" + styled_table(
            _coverage_rows(cover), "status", _PROBLEM)
        show_picture(self.timeline, timeline)
        problems = media.problems()
        self.problems_table.value = (
            f"<b>Problems ({len(problems)})</b>" + styled_table(problems, "", {})
            if len(problems) else "<b>Problems</b>: none")
        show_picture(self.contact_sheet, sheet)
        self.clips_table.value = "<b>Clips</b>" + styled_table(
            _clip_rows(media), "status", _PROBLEM)
        if summary["problems"]:
            self.say(f"{summary['video']} video files of {summary['cameras']} cameras; "
                      f"{summary['problems']} with problems (see below).", "warning")
        else:
            self.say(f"{summary['video']} video files of {summary['cameras']} cameras, "
                      "all readable.", "ok")
        self.coverage = cover
        self.report = media

    def cancelled_message(self, report: MediaReport) -> str:
        return (f"Analysis cancelled: {report.summary()['files']} files listed, the rest not "
                "read.")

    def outcome(self) -> str:
        if self.report is None:
            return "idle"
        summary = self.report.summary()
        return (f"{summary['files']} files, {summary['cameras']} cameras, "
                f"{summary['problems']} problems")



def _coverage_rows(cover: Coverage) -> pd.DataFrame:
    """One row per camera, as the analyst reads it (both clocks, shares to a tenth)."""
    frame: pd.DataFrame = pd.DataFrame([
        {
            "camera": camera.camera, "clips": camera.clips, "damaged": camera.problems,
            "outside window": len(camera.outside),
            "recorded": _pct(camera.covered_pct), "playable": _pct(camera.playable_pct),
            "gaps (recorder clock)": ", ".join(
                f"{gap.start:%H:%M:%S}–{gap.end:%H:%M:%S}" for gap in camera.gaps) or "none",
            "first – last (recorder)": _span(first, last),
            "first – last (real)": _span(cover.real(camera.recorder, first),
                                         cover.real(camera.recorder, last)),
            "start only": len(camera.unknown),
            "status": "problem" if camera.gaps or camera.problems else "ok",
        }
        for camera in cover.cameras
        for first, last in [_ends(camera.recorded)]
    ])
    return frame


def _ends(spans: list[Span]) -> tuple[datetime | None, datetime | None]:
    return (spans[0].start, spans[-1].end) if spans else (None, None)


def _clip_rows(media: MediaReport) -> pd.DataFrame:
    """One row per file: what it is and when it was recorded, on both clocks."""
    real = media.to_frame()["real_start"]
    frame: pd.DataFrame = pd.DataFrame([
        {
            "file": row.relative.as_posix(), "camera": row.camera, "kind": row.kind,
            "codec": row.video_codec or row.audio_codec or "",
            "picture": f"{row.width}×{row.height}" if row.width else "",
            "fps": row.rate_label(),
            "duration": f"{row.duration_s:.0f} s" if row.duration_s else "",
            "recorder start": _moment(row.recorder_start),
            "real start": _moment(None if pd.isna(moment) else moment),
            "time from": row.time_source or "", "problem": row.problem.type if row.problem else "",
            "status": "problem" if row.problem else "",
        }
        for row, moment in zip(media.rows, real, strict=True)
    ])
    return frame


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _moment(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:{_WHEN}}"


def _span(first: datetime | None, last: datetime | None) -> str:
    return f"{_moment(first)} – {_moment(last)}"

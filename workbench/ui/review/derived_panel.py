"""`DerivedVideoPanel`: the Footage tab's "Make playable copies" and "Timeline video"."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from workbench.cases import CaseData
from workbench.conversion import (
    PlayableReport,
    TimelineVideo,
    make_playable,
    preview_frame,
    render_timeline,
)
from workbench.media import to_real
from workbench.ui.controls import JobPanel, picture, show_picture, styled_table, text_field

_PROBLEM = {"problem": "background-color:#fde0dc"}
_STYLE = {"description_width": "110px"}


class DerivedVideoPanel(JobPanel):
    """Playable copies of a case folder's clips, or its timeline video, on a worker thread.

    `.folder` is the case folder (the Footage tab shares its field); `.run_button` ("Make
    playable copies") and `.timeline_button` start the work, `.cancel_button` stops it, `.job`
    is its `Future`. `.report` holds the last `PlayableReport`, `.video` the last
    `TimelineVideo`; `.table` shows the result, `.preview` a picture of the first output.
    """

    cancelled_text = "Cancelled: the copies finished before are kept and recorded."

    def __init__(self, folder: widgets.Text | None = None, **kwargs: Any) -> None:
        self.folder = folder or text_field(description="Case folder", style=_STYLE)
        self.container = widgets.Dropdown(options=["mkv", "mp4"], value="mkv",
                                          description="Container", style=_STYLE)
        self.join = widgets.Checkbox(value=False, description="one file per camera",
                                     indent=False)
        self.start_time = text_field(description="From (real)", style=_STYLE,
                                     placeholder="2026-11-20T14:00:00")
        self.end_time = text_field(description="To (real)", style=_STYLE,
                                   placeholder="2026-11-20T14:30:00")
        self.timeline_button = widgets.Button(description="Timeline video", icon="th-large")
        self.table = widgets.HTML()
        self.preview = picture("jpeg", max_width="480px")
        self.report: PlayableReport | None = None
        """The last playable copies made."""
        self.video: TimelineVideo | None = None
        """The last timeline video made."""
        super().__init__("derived", **kwargs)
        self.run_button.description, self.run_button.icon = "Make playable copies", "play"
        self.run_button.layout.width = self.timeline_button.layout.width = "190px"
        self.timeline_button.on_click(self._timeline)
        for name in ("table", "preview", "timeline_button"):
            getattr(self, name).add_class(f"wb-derived-{name.replace('_', '-')}")
        self.children = [
            widgets.HTML("<b>Derived video</b> (written under the case folder's "
                         "<code>derived/</code>, never beside the evidence)"),
            widgets.HBox([self.container, self.join, self.run_button]),
            widgets.HBox([self.start_time, self.end_time, self.timeline_button]),
            self.cancel_button, self.message, self.progress, self.status, self.table,
            self.preview,
        ]

    def set_window(self, case: CaseData | None) -> None:
        """Offer the case's video window (in real time) for the timeline."""
        if case is None or case.video_start is None or case.video_end is None:
            return
        for field, moment in ((self.start_time, case.video_start),
                              (self.end_time, case.video_end)):
            real = to_real(moment, case.dvr_offset)
            if real is not None and not field.value:
                field.value = f"{real:%Y-%m-%dT%H:%M:%S}"

    def _case_dir(self) -> str | None:
        folder: str = self.folder.value.strip()
        if not folder:
            self.say("Give the case folder first.", "error")
            return None
        return folder

    def _run(self, _button: object = None) -> None:
        folder = self._case_dir()
        if self.running or folder is None:
            return
        self.table.value = ""
        show_picture(self.preview, b"")
        bar, relay = self.new_bar("playable", unit="clip")
        container, join = self.container.value, self.join.value
        self.say(f"Making playable copies of {folder}…")
        self.start(lambda token: make_playable(folder, container=container, join=join,
                                               on_progress=relay, cancel=token),
                   self._show_copies, bar)

    def _timeline(self, _button: object = None) -> None:
        folder = self._case_dir()
        if self.running or folder is None:
            return
        start, end = self.start_time.value.strip(), self.end_time.value.strip()
        self.table.value = ""
        show_picture(self.preview, b"")
        bar, relay = self.new_bar("timeline", unit="frame")
        self.say(f"Rendering the timeline {start} – {end}…")
        self.start(lambda token: render_timeline(folder, start, end, on_progress=relay,
                                                 cancel=token),
                   self._show_timeline, bar)

    def _show_copies(self, report: PlayableReport) -> None:
        frame = report.to_frame()[["sources", "output", "status", "packets", "error"]]
        frame["status"] = [("problem" if row.status in ("error", "mismatch", "partial")
                            else row.status) for row in report.rows]
        frame.insert(3, "result", [row.status for row in report.rows])
        self.table.value = "<b>Playable copies</b>" + styled_table(frame, "status", _PROBLEM)
        first = next((row.output for row in report.rows if row.output is not None), None)
        if first is not None:
            show_picture(self.preview, preview_frame(first))
        self.report = report
        if report.verified:
            self.say(f"Every copy is proven lossless, packet for packet ({report.out_dir}).",
                     "ok")
        else:
            self.say("Some clips could not be copied losslessly: see the table.", "warning")

    def _show_timeline(self, video: TimelineVideo) -> None:
        frame = video.to_frame()[["camera", "kind", "real_start", "real_end", "source"]]
        frame["status"] = ["problem" if kind != "footage" else "" for kind in frame["kind"]]
        self.table.value = "<b>Timeline segments</b>" + styled_table(
            pd.DataFrame(frame), "status", _PROBLEM)
        if video.path is not None:
            middle = (video.end - video.start).total_seconds() / 2
            show_picture(self.preview, preview_frame(video.path, at_seconds=middle))
            self.say(f"Timeline video: {video.path.name} ({video.frames} frames), a "
                     "presentation aid, not evidence.", "ok")
        self.video = video

    def cancelled_message(self, report: PlayableReport | TimelineVideo) -> str:
        if isinstance(report, TimelineVideo):
            return "Timeline cancelled: nothing was kept."
        return self.cancelled_text

    def outcome(self) -> str:
        if self.report is None and self.video is None:
            return "idle"
        parts = [repr(self.report)] if self.report is not None else []
        if self.video is not None:
            parts.append(f"timeline {self.video.outcome}")
        return "; ".join(parts)

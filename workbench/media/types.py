"""Types of the footage room: what one file holds (`MediaFile`), a whole probe (`MediaReport`).

Recorder times are naive datetimes on the recorder's own clock (what its file names, its
container and its on-screen clock say); real time is recorder time minus the case's DVR
offset (a recorder 4 min 30 s fast shows 14:04:30 at 14:00:00 real time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from workbench.cases import CaseData, ClockProblem
from workbench.cases.types import DvrOffset
from workbench.errors import ErrorPayload, MediaError
from workbench.events import Outcome
from workbench.media.decode import Probe
from workbench.media.frames import Rate, TimingProblem
from workbench.media.keyframes import ContactSheet, Tile, read_keyframes
from workbench.media.timing import TimeSource, real_time, to_real
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

    from workbench.media.figures import PngFigure

MEDIA_COLUMNS = [
    "relative", "recorder", "camera", "kind", "container", "video_codec", "video_profile", "width",
    "height", "avg_frame_rate", "real_frame_rate", "frame_count", "duration_s", "bit_rate",
    "audio_codec", "audio_rate", "audio_channels", "recorder_start", "recorder_end",
    "real_start", "real_end", "time_source", "pattern", "name_confidence",
    "first_frame_decodes", "size",
    "problem", "frames", "nominal_fps", "rate_source", "measured_fps", "intervals",
    "recorded_s", "timing_problems",
]
"""Columns of `MediaReport.to_frame()`."""
INTEGER_COLUMNS = ["width", "height", "frame_count", "bit_rate", "audio_rate", "audio_channels",
                   "size", "frames", "intervals"]
"""Columns of whole numbers, missing where a file has none (pandas `Int64`)."""
PROBLEM_COLUMNS = ["relative", "camera", "kind", "type", "problem"]
"""Columns of `MediaReport.problems()`."""
TIMING_COLUMNS = ["relative", "camera", "stream", "origin", "frames", "first_s", "duration_s",
                  "recorded_s", "intervals", "nominal_fps", "rate_source", "measured_fps",
                  "variable_rate", "tolerance_s", "problems"]
"""Columns of `MediaReport.timing()`."""
TIMING_IN_MEDIA = frozenset({"frames", "nominal_fps", "rate_source", "measured_fps", "intervals",
                             "recorded_s"})
"""Of those, the ones `MediaReport.to_frame()` shows too."""


class MediaFile(Probe):
    """One file of the footage: where it is, what it holds, when it was recorded."""

    path: Path
    """The file."""
    relative: PurePosixPath
    """Its path inside the folder probed."""
    size: int
    """Bytes (when it was probed)."""
    mtime_ns: int
    """Modification time (ns) when it was probed."""
    folder: str
    """The folder it is in, relative to the folder probed (`.` for that folder)."""
    camera: str
    """Camera or channel (from the file-name pattern, else the nearest folder that is not a
    date, an hour or a storage block); empty for a file that is not media."""
    recorder: str = ""
    """The recorder that made it (a case recorder, or the export's top folder when two
    recorders number their cameras alike); "" for the export's one recorder."""
    recorder_start: datetime | None = None
    """Start of the recording on the recorder's clock."""
    recorder_end: datetime | None = None
    """End of the recording on the recorder's clock."""
    time_source: TimeSource | None = None
    """Which source gave the times: `filename`, `container` or `creation_time`."""
    pattern: str | None = None
    """Id of the file-name pattern that matched (`fallback`: date and time found apart)."""
    name_confidence: float | None = None
    """How sure the name's reading is: 1 for a pattern, the fallback's 0-1 otherwise."""
    name_zone: str | None = None
    """The zone the name's scheme writes times in (e.g. UTC), when it defines one."""
    thumbnail: str | None = None
    """Member name of its keyframe image in the report's `keyframes` archive."""

    def problem_text(self) -> str:
        """The problem in a sentence naming the file by its path in the analysis ("" if
        none)."""
        if self.problem is None:
            return ""
        return self.problem.describe().replace(str(self.path), self.relative.as_posix())

    def rate_label(self) -> str:
        """The nominal rate as text; `unknown!` when no header gives one (never FFmpeg's
        default); `set by the analyst` (with what the header said) when the analyst set it."""
        timing = self.timing
        if timing is None:
            return f"{self.avg_frame_rate:g}" if self.avg_frame_rate else ""
        if timing.nominal_rate is None:
            return "unknown!"
        if not timing.rate_set_by_analyst:
            return f"{timing.nominal_rate.fps:g}"
        header = timing.header_rate
        said = f"header {header.fps:g}" if header else "no header rate"
        return f"{timing.nominal_rate.fps:g} (set by the analyst; {said})"

    @property
    def lane(self) -> str:
        """Its camera's identity: (recorder, camera) as one label."""
        return f"{self.recorder} · {self.camera}" if self.recorder else self.camera

    def all_problems(self) -> list[tuple[ErrorPayload | TimingProblem, str]]:
        """Its problem and its timing problems, each with its sentence."""
        found: list[tuple[ErrorPayload | TimingProblem, str]] = []
        if self.problem is not None:
            found.append((self.problem, self.problem_text()))
        if self.timing is not None:
            found.extend((problem, problem.describe()) for problem in self.timing.problems)
        return found


class MediaReport(Contract):
    """The footage of a folder (or of some files): one row per file."""

    error_class: ClassVar = MediaError

    root: Path | None
    """The folder probed (None when files were given one by one)."""
    rows: list[MediaFile]
    """One row per file, in path order."""
    case: CaseData | None = None
    """The case whose DVR offset turns recorder times into real times."""
    outcome: Outcome = "completed"
    """`cancelled` when the probe was stopped before every file was read."""
    started: datetime
    """When the probe started (UTC)."""
    finished: datetime
    """When it finished (UTC)."""
    keyframes: Path | None = None
    """The archive of keyframe images (`_evidence/media/keyframes.zip` of a case folder)."""
    rates: dict[str, Rate] = Field(default_factory=dict)
    """Frame rates the analyst set, by file (relative path or name) or camera (name or
    lane); the rows they apply to say `rate_source="analyst"`."""

    @property
    def dvr_offset(self) -> timedelta | None:
        """The case's DVR offset, if any."""
        return self.case.dvr_offset if self.case else None

    def media(self) -> list[MediaFile]:
        """The rows that are media (video, audio or image)."""
        return [row for row in self.rows if row.kind != "other"]

    def to_frame(self) -> pd.DataFrame:
        """One row per file: what it holds and when it was recorded (recorder and real time)."""
        import pandas as pd

        records = [_record(row, self.case) for row in self.rows]
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=MEDIA_COLUMNS).astype(
            dict.fromkeys(INTEGER_COLUMNS, "Int64"))
        return frame

    def problems(self) -> pd.DataFrame:
        """The damaged or unreadable files, with the typed problem of each, and every timing
        problem (one row each)."""
        import pandas as pd

        records = [
            {
                "relative": row.relative.as_posix(), "camera": row.camera, "kind": row.kind,
                "type": problem.type, "problem": text,
            }
            for row in self.rows for problem, text in row.all_problems()
        ] + [
            {"relative": row.relative.as_posix(), "camera": row.camera, "kind": row.kind,
             "type": problem.type, "problem": problem.describe()}
            for row in self.rows for problem in self.clock_problems(row)
        ]
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=PROBLEM_COLUMNS)
        return frame

    def real(self, row: MediaFile, moment: datetime | None) -> datetime | None:
        """`moment` on `row`'s recorder clock in real time (None: unknown or ambiguous)."""
        return real_time(self.case, row.recorder, moment, row.name_zone).moment

    def clock_problems(self, row: MediaFile) -> list[ClockProblem]:
        """Recorder times of `row` that its recorder's clock cannot make real (a
        daylight-saving hour repeated or skipped)."""
        found = (real_time(self.case, row.recorder, moment, row.name_zone).problem
                 for moment in (row.recorder_start, row.recorder_end))
        return [problem for problem in found if problem is not None]

    def timing(self) -> pd.DataFrame:
        """Per video clip: its frames, recorded intervals, nominal and measured rates and
        timing problems (rates a header does not give are empty, never FFmpeg's default)."""
        import pandas as pd

        records = [_timing_record(row) for row in self.rows if row.timing is not None]
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=TIMING_COLUMNS)
        return frame

    def summary(self) -> dict[str, Any]:
        """Counts by kind, cameras, problems."""
        kinds = Counter(row.kind for row in self.rows)
        problems = Counter(p.type for row in self.rows for p, _text in row.all_problems())
        return {
            "files": len(self.rows),
            **{kind: kinds[kind] for kind in ("video", "audio", "image", "other")},
            "cameras": len({row.camera for row in self.media()}),
            "problems": sum(problems.values()),
            **{f"problem_{name}": count for name, count in sorted(problems.items())},
            "outcome": self.outcome,
        }

    def __repr__(self) -> str:
        summary = self.summary()
        where = self.root.name if self.root is not None else "selected files"
        return (f"<MediaReport of {where}: {summary['files']} files, {summary['video']} video, "
                f"{summary['cameras']} cameras, {summary['problems']} with problems"
                f"{', cancelled' if self.outcome == 'cancelled' else ''}>")

    def contact_sheet(self, columns: int = 4,
                      rows: Sequence[MediaFile] | None = None) -> ContactSheet:
        """One labelled keyframe per video clip (camera, recorder time, file), as a JPEG; of
        `rows` (default: every video clip) when given."""
        from workbench.media.keyframes.sheet import compose_sheet  # Pillow: when a sheet is drawn

        clips = [row for row in (self.rows if rows is None else rows) if row.kind == "video"]
        images = read_keyframes(self.keyframes, [row.thumbnail for row in clips])
        tiles = [
            Tile(
                image=image, title=f"{row.camera} · {_clock(row.recorder_start)}",
                caption=row.relative.name, problem=row.problem.type if row.problem else None,
            )
            for row, image in zip(clips, images, strict=True)
        ]
        return compose_sheet(tiles, columns=columns)


def _clock(moment: datetime | None) -> str:
    return "time unknown" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S}"


def _timing_record(row: MediaFile) -> dict[str, Any]:
    timing = row.timing
    assert timing is not None
    return {
        "relative": row.relative.as_posix(), "camera": row.camera, "stream": timing.stream,
        "origin": timing.origin, "frames": timing.frames, "first_s": timing.first_s,
        "duration_s": timing.duration_s, "recorded_s": timing.recorded_s,
        "intervals": len(timing.intervals),
        "nominal_fps": timing.nominal_rate.fps if timing.nominal_rate else None,
        "rate_source": timing.rate_source or "unknown", "measured_fps": timing.measured_fps,
        "variable_rate": timing.variable_rate, "tolerance_s": timing.tolerance_s,
        "problems": ", ".join(problem.type for problem in timing.problems),
    }


def _record(row: MediaFile, case: CaseData | None) -> dict[str, Any]:
    values = row.model_dump(include=set(MEDIA_COLUMNS) & set(MediaFile.model_fields))
    values["relative"] = row.relative.as_posix()
    timing = row.timing
    if timing is not None:
        values |= {key: value for key, value in _timing_record(row).items()
                   if key in TIMING_IN_MEDIA}
        values["timing_problems"] = ", ".join(problem.type for problem in timing.problems)
    values["real_start"] = real_time(case, row.recorder, row.recorder_start, row.name_zone).moment
    values["real_end"] = real_time(case, row.recorder, row.recorder_end, row.name_zone).moment
    values["problem"] = f"{row.problem.type}: {row.problem_text()}" if row.problem else ""
    return values


COVERAGE_COLUMNS = [
    "camera", "recorder", "clips", "problems", "outside_window", "unknown_extent", "first",
    "last", "first_real",
    "last_real", "covered_pct", "playable_pct", "gaps", "gap_s",
]
"""Columns of `Coverage.to_frame()` (one row per camera)."""
GAP_COLUMNS = ["camera", "start", "end", "start_real", "end_real", "seconds"]
"""Columns of `Coverage.gaps()`."""


class Span(Contract):
    """A stretch of recorder time."""

    error_class: ClassVar = MediaError

    start: datetime
    """Start (recorder clock)."""
    end: datetime
    """End (recorder clock)."""

    @property
    def seconds(self) -> float:
        """Its length in seconds."""
        return (self.end - self.start).total_seconds()


class ClipSpan(Span):
    """One timed clip on the timeline."""

    relative: PurePosixPath
    """The clip."""
    camera: str
    """Its camera's lane (recorder · camera when the export has several recorders)."""
    recorder: str = ""
    """Its recorder ("" for the export's one recorder)."""
    problem: str | None = None
    """The type tag of its problem, if it is damaged."""
    outside: bool = False
    """Whether it lies wholly outside the requested window."""
    runs: list[Span] = Field(default_factory=list)
    """The intervals its frames were recorded in (a motion-only clip has several)."""
    unknown: bool = False
    """Whether its extent is unknown (only its start is known): neither covered nor outside."""


class Gap(Span):
    """A stretch of the requested window (or of the camera's own span) with no recording."""

    camera: str
    """The camera that recorded nothing then."""


class CameraCoverage(Contract):
    """What one camera recorded, against the requested window."""

    error_class: ClassVar = MediaError

    camera: str
    """Camera or channel (recorder · camera when the export has several recorders)."""
    recorder: str = ""
    """Its recorder ("" for the export's one recorder)."""
    clips: int
    """Timed clips."""
    problems: int
    """Of those, clips with a problem (damaged, unreadable, changed)."""
    recorded: list[Span]
    """The clips' times merged (gaps up to the tolerance closed)."""
    playable: list[Span]
    """The same for the clips without a problem."""
    gaps: list[Gap]
    """Stretches of the window (or of its own span, with no window) with no recording."""
    outside: list[PurePosixPath]
    """Clips wholly outside the requested window."""
    unknown: list[PurePosixPath] = Field(default_factory=list)
    """Clips of unknown extent (a start only): neither covered nor outside."""
    covered_pct: float | None
    """Share of the requested window recorded, in percent (None: no window)."""
    playable_pct: float | None
    """Share of the window recorded by clips without a problem, in percent."""


class Coverage(Contract):
    """Per camera, what the footage covers of the requested window, in recorder and real time.

    The window is the case's video window, on the recorder's clock; real times are recorder
    times minus the DVR offset, so a share of the window is the same on either clock.
    """

    error_class: ClassVar = MediaError

    window_start: datetime | None
    """Start of the requested window (recorder clock)."""
    window_end: datetime | None
    """End of the requested window (recorder clock)."""
    dvr_offset: DvrOffset = None
    """How far the recorder clock is ahead of real time."""
    case: CaseData | None = None
    """The case whose recorders' clocks give real times."""
    tolerance_s: float
    """Breaks between clips up to this many seconds are not gaps."""
    cameras: list[CameraCoverage]
    """One entry per camera, by name."""
    clips: list[ClipSpan]
    """Every timed clip."""
    untimed: list[PurePosixPath]
    """Media files without recording times (they are on no timeline)."""

    @property
    def window(self) -> tuple[datetime, datetime] | None:
        """The requested window (recorder clock), if the case has one."""
        if self.window_start is None or self.window_end is None:
            return None
        return self.window_start, self.window_end

    def to_frame(self) -> pd.DataFrame:
        """One row per camera: clips, problems, span (recorder and real), shares, gaps."""
        import pandas as pd

        records = []
        for camera in self.cameras:
            first = camera.recorded[0].start if camera.recorded else None
            last = camera.recorded[-1].end if camera.recorded else None
            records.append({
                "camera": camera.camera, "recorder": camera.recorder, "clips": camera.clips,
                "problems": camera.problems, "outside_window": len(camera.outside),
                "unknown_extent": len(camera.unknown), "first": first, "last": last,
                "first_real": self.real(camera.recorder, first),
                "last_real": self.real(camera.recorder, last),
                "covered_pct": camera.covered_pct, "playable_pct": camera.playable_pct,
                "gaps": len(camera.gaps), "gap_s": sum(gap.seconds for gap in camera.gaps),
            })
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=COVERAGE_COLUMNS)
        return frame

    def real(self, recorder: str, moment: datetime | None) -> datetime | None:
        """`moment` on `recorder`'s clock in real time (None when a daylight-saving change
        leaves it ambiguous or impossible: see the media report's problems)."""
        return real_time(self.case, recorder, moment).moment

    def gaps(self) -> pd.DataFrame:
        """Every gap, with its times on both clocks."""
        import pandas as pd

        records = [
            {"camera": gap.camera, "start": gap.start, "end": gap.end,
             "start_real": self.real(camera.recorder, gap.start),
             "end_real": self.real(camera.recorder, gap.end), "seconds": gap.seconds}
            for camera in self.cameras for gap in camera.gaps
        ]
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=GAP_COLUMNS)
        return frame

    def figure(self) -> PngFigure:
        """The timeline: one lane per camera, window shaded, gaps hatched, damage in red."""
        from workbench.media.figures import Bar, Lane, timeline  # matplotlib: when drawn

        lanes = []
        for camera in self.cameras:
            outside = len(camera.outside)
            label = camera.camera + (f"\n+{outside} outside window" if outside else "")
            bars = [Bar(run.start, run.end, clip.problem is not None, clip.unknown)
                    for clip in self.clips if clip.camera == camera.camera
                    for run in (clip.runs or [clip])]
            lanes.append(Lane(camera.camera, bars, [(g.start, g.end) for g in camera.gaps],
                              label))
        return timeline(lanes, self.window, self.dvr_offset, self.title())

    def __repr__(self) -> str:
        cameras = len(self.cameras)
        gaps = sum(len(camera.gaps) for camera in self.cameras)
        return (f"<Coverage: {cameras} camera{'s' * (cameras != 1)}, {gaps} "
                f"gap{'s' * (gaps != 1)}, {len(self.clips)} timed clips>")

    def title(self) -> str:
        """One line: the window on both clocks."""
        window = self.window
        if window is None:
            return "Recorded footage (the case has no video window)"
        start, end = window
        text = f"Requested window {start:%Y-%m-%d %H:%M:%S} – {end:%H:%M:%S} (recorder clock)"
        if self.dvr_offset:
            real_start, real_end = to_real(start, self.dvr_offset), to_real(end, self.dvr_offset)
            assert real_start is not None and real_end is not None
            text += f" = {real_start:%H:%M:%S} – {real_end:%H:%M:%S} real time"
        return text

    def summary_lines(self) -> list[str]:
        """The coverage in words, one line per camera, for the CLI and reports."""
        lines = [self.title()]
        for camera in self.cameras:
            parts = [f"{camera.clips} clip{'s' * (camera.clips != 1)}"]
            if camera.covered_pct is not None:
                parts.append(f"{camera.covered_pct:.1f}% of the window recorded")
                if camera.playable_pct != camera.covered_pct:
                    parts.append(f"{camera.playable_pct:.1f}% playable")
            gaps = ", ".join(
                f"{gap.start:%H:%M:%S}–{gap.end:%H:%M:%S} ({_minutes(gap.seconds)})"
                for gap in camera.gaps
            )
            parts.append(f"gap{'s' * (len(camera.gaps) != 1)} {gaps}" if gaps else "no gap")
            if camera.outside:
                parts.append(f"{len(camera.outside)} clip(s) outside the window")
            if camera.unknown:
                parts.append(f"{len(camera.unknown)} clip(s) of unknown extent")
            if camera.problems:
                parts.append(f"{camera.problems} damaged")
            lines.append(f"  {camera.camera}: " + "; ".join(parts))
        if self.untimed:
            lines.append(f"  {len(self.untimed)} media file(s) without recording times")
        return lines


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


__all__ = [
    "COVERAGE_COLUMNS",
    "GAP_COLUMNS",
    "MEDIA_COLUMNS",
    "PROBLEM_COLUMNS",
    "TIMING_COLUMNS",
    "CameraCoverage",
    "ClipSpan",
    "Coverage",
    "Gap",
    "MediaFile",
    "MediaReport",
    "Outcome",
    "Span",
]

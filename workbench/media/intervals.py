"""Coverage: per camera, the recorded stretches merged, the gaps, the share of the window.

A clip covers the intervals its frames were recorded in (frame timing: a motion-only clip
shows its gaps), not the span of its name; a clip whose extent is unknown (a raw stream of
unknown rate, a file of unknown duration) is its own state, neither covered nor outside. A
camera is (recorder, channel): two recorders' `ch01` are two lanes. All of it on the
recorder's clock (file names, containers and the case window all use it); `Coverage` shows
real time beside it through each lane's recorder clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from workbench.cases import CaseData
from workbench.media.frames import FrameTiming
from workbench.media.types import (
    CameraCoverage,
    ClipSpan,
    Coverage,
    Gap,
    MediaFile,
    MediaReport,
    Span,
)

DEFAULT_TOLERANCE = timedelta(seconds=3)
"""Breaks between clips up to this long are not gaps (recorders start each file a moment late)."""


def compute_coverage(report: MediaReport, case: CaseData | None,
                     tolerance: timedelta = DEFAULT_TOLERANCE) -> Coverage:
    """The coverage of `report`'s media against `case`'s video window (if it has one)."""
    window = _window(case)
    clips: list[ClipSpan] = []
    untimed = []
    for row in report.media():
        if row.recorder_start is None:
            untimed.append(row.relative)
            continue
        clips.append(_clip(row, window))
    by_camera: dict[str, list[ClipSpan]] = defaultdict(list)
    for clip in clips:
        by_camera[clip.camera].append(clip)
    cameras = [_camera(name, by_camera[name], window, tolerance) for name in sorted(by_camera)]
    recorders = {clip.camera: clip.recorder for clip in clips}
    cameras = [camera.model_copy(update={"recorder": recorders[camera.camera]})
               for camera in cameras]
    return Coverage(
        window_start=window[0] if window else None, window_end=window[1] if window else None,
        dvr_offset=case.dvr_offset if case else None, case=case,
        tolerance_s=tolerance.total_seconds(),
        cameras=cameras, clips=sorted(clips, key=lambda clip: (clip.camera, clip.start)),
        untimed=untimed,
    )


def merge(spans: Iterable[Span], tolerance: timedelta) -> list[Span]:
    """`spans` sorted and merged wherever the break between two is at most `tolerance`."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda item: (item.start, item.end)):
        if merged and span.start <= merged[-1].end + tolerance:
            if span.end > merged[-1].end:
                merged[-1] = Span(start=merged[-1].start, end=span.end)
        else:
            merged.append(Span(start=span.start, end=span.end))
    return merged


def holes(spans: list[Span], low: datetime, high: datetime, tolerance: timedelta) -> list[Span]:
    """The stretches of `low`..`high` that merged `spans` leave open, longer than `tolerance`."""
    found, cursor = [], low
    for span in spans:
        if span.end <= cursor:
            continue
        if span.start >= high:
            break
        if span.start - cursor > tolerance:
            found.append(Span(start=cursor, end=min(span.start, high)))
        cursor = max(cursor, span.end)
    if high - cursor > tolerance:
        found.append(Span(start=cursor, end=high))
    return found


def overlap(spans: list[Span], low: datetime, high: datetime) -> float:
    """Seconds of `low`..`high` covered by merged `spans`."""
    return sum(
        max(0.0, (min(span.end, high) - max(span.start, low)).total_seconds()) for span in spans
    )


def _window(case: CaseData | None) -> tuple[datetime, datetime] | None:
    """The case's video window as naive recorder wall-clock times (a zone is dropped)."""
    if case is None or case.video_start is None or case.video_end is None:
        return None
    return case.video_start.replace(tzinfo=None), case.video_end.replace(tzinfo=None)


_EPOCH = datetime(1970, 1, 1)


def _clip(row: MediaFile, window: tuple[datetime, datetime] | None) -> ClipSpan:
    start = row.recorder_start
    assert start is not None
    runs = frame_runs(start, row.timing)
    if not runs and (row.recorder_end is not None or row.kind == "image"):
        runs = [Span(start=start, end=max(start, row.recorder_end or start))]
    unknown = not runs
    low = runs[0].start if runs else start
    end = max((run.end for run in runs), default=start)
    outside = window is not None and not unknown and (end <= window[0] or low >= window[1])
    return ClipSpan(
        start=low, end=end, relative=row.relative, camera=row.lane, recorder=row.recorder,
        problem=row.problem.type if row.problem else None, outside=outside, runs=runs,
        unknown=unknown,
    )


def frame_runs(start: datetime, timing: FrameTiming | None) -> list[Span]:
    """The recorded intervals of a clip on the recorder clock: its frames' own epoch clock
    (Dahua `.dav`), else placed from its recorder start; none when they are unknown."""
    if timing is None or not timing.intervals or timing.first_s is None:
        return []
    if timing.origin == "epoch":
        base, first = _EPOCH, 0.0
    else:
        base, first = start, timing.first_s
    try:
        return [Span(start=base + timedelta(seconds=run.start_s - first),
                     end=base + timedelta(seconds=run.end_s - first))
                for run in timing.intervals]
    except OverflowError:  # frame times past the calendar: the extent is unknown
        return []


def _camera(name: str, clips: list[ClipSpan], window: tuple[datetime, datetime] | None,
            tolerance: timedelta) -> CameraCoverage:
    recorded = merge((run for clip in clips for run in clip.runs), tolerance)
    playable = merge((run for clip in clips if clip.problem is None for run in clip.runs),
                     tolerance)
    if window:
        low, high = window
    elif recorded:
        low, high = recorded[0].start, recorded[-1].end
    else:
        low = high = clips[0].start
    gaps = [Gap(start=hole.start, end=hole.end, camera=name)
            for hole in holes(recorded, low, high, tolerance)]
    covered = playable_pct = None
    length = (high - low).total_seconds()
    if window is not None:
        covered = 100.0 * overlap(recorded, low, high) / length if length else 100.0
        playable_pct = 100.0 * overlap(playable, low, high) / length if length else 100.0
    return CameraCoverage(
        camera=name, clips=len(clips), problems=sum(clip.problem is not None for clip in clips),
        recorded=recorded, playable=playable, gaps=gaps,
        outside=[clip.relative for clip in clips if clip.outside],
        unknown=[clip.relative for clip in clips if clip.unknown],
        covered_pct=covered, playable_pct=playable_pct,
    )


__all__ = ["DEFAULT_TOLERANCE", "compute_coverage", "frame_runs", "holes", "merge", "overlap"]

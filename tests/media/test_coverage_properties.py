"""Properties of coverage from frames (hypothesis), on reports of clips made up of recorded
intervals in several lanes (two recorders that both number their cameras `ch01`, `ch02`):
merged intervals never overlap within a lane; shifting every time by a constant shifts the
coverage exactly; a recorder clock of zero drift gives the real times the old single offset
gave."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path, PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cases import CaseData, ClockObservation, Recorder
from workbench.media import (
    Coverage,
    FrameTiming,
    Interval,
    MediaFile,
    MediaReport,
    coverage,
)

T0 = datetime(2026, 11, 20, 14)
LANES = [("NVR_A", "ch01"), ("NVR_A", "ch02"), ("NVR_B", "ch01"), ("NVR_B", "ch02")]
NOW = datetime(2026, 12, 3, tzinfo=timezone.utc)

# a clip: its lane, its start (seconds after T0) and its runs (gap before, length), in ms
runs = st.lists(st.tuples(st.integers(0, 60_000), st.integers(1, 120_000)), min_size=1,
                max_size=5)
clips = st.lists(st.tuples(st.sampled_from(range(len(LANES))), st.integers(-600, 7200), runs),
                 min_size=1, max_size=25)
tolerances = st.integers(0, 10)


def _timing(parts: list[tuple[int, int]]) -> FrameTiming:
    intervals, cursor = [], 0
    for gap, length in parts:
        start = cursor + gap
        intervals.append(Interval(start_s=start / 1000, end_s=(start + length) / 1000,
                                  frames=max(1, length // 100)))
        cursor = start + length
    return FrameTiming(stream=0, frames=sum(i.frames for i in intervals), first_s=0.0,
                       intervals=intervals, timestamps_digest="0" * 32)


def report_of(made: list[tuple[int, int, list[tuple[int, int]]]],
              shift: timedelta = timedelta(0), case: CaseData | None = None) -> MediaReport:
    rows = []
    for number, (lane, start, parts) in enumerate(made):
        recorder, camera = LANES[lane]
        relative = PurePosixPath(recorder, f"{camera}_{number:03d}.mp4")
        rows.append(MediaFile(
            kind="video", path=Path("/export") / relative, relative=relative, size=1,
            mtime_ns=0, folder=recorder, camera=camera, recorder=recorder,
            recorder_start=T0 + timedelta(seconds=start) + shift, timing=_timing(parts)))
    return MediaReport(root=Path("/export"), rows=rows, case=case, started=NOW, finished=NOW)


def window_case(shift: timedelta = timedelta(0), **fields: object) -> CaseData:
    return CaseData(occurrence="x", video_start=T0 + shift,  # type: ignore[arg-type]
                    video_end=T0 + timedelta(hours=1) + shift, **fields)


@settings(max_examples=150, deadline=None)
@given(made=clips, tolerance=tolerances)
def test_merged_intervals_never_overlap_within_a_lane(
        made: list[tuple[int, int, list[tuple[int, int]]]], tolerance: int) -> None:
    cover = coverage(report_of(made), window_case(), tolerance=tolerance)
    gap = timedelta(seconds=tolerance)
    assert len(cover.cameras) == len({lane for lane, _start, _runs in made})
    for camera in cover.cameras:
        for spans in (camera.recorded, camera.playable):
            for one, two in pairwise(spans):
                assert one.start <= one.end
                assert one.end + gap < two.start  # apart by more than the tolerance
        runs_of_lane = [run for clip in cover.clips if clip.camera == camera.camera
                        for run in clip.runs]
        for run in runs_of_lane:  # nothing recorded is lost by merging
            assert any(span.start <= run.start and run.end <= span.end
                       for span in camera.recorded)
        merged_s = sum(span.seconds for span in camera.recorded)
        recorded_s = sum(run.seconds for run in runs_of_lane)
        assert merged_s <= recorded_s + len(runs_of_lane) * tolerance + 1e-6  # float sums
        assert 0 <= (camera.covered_pct or 0) <= 100 + 1e-9
        for hole in camera.gaps:  # a gap is never recorded
            assert all(span.end <= hole.start or span.start >= hole.end
                       for span in camera.recorded)


def _shape(cover: Coverage, shift: timedelta) -> list[object]:
    return [
        (camera.camera, [(s.start - shift, s.end - shift) for s in camera.recorded],
         [(g.start - shift, g.end - shift) for g in camera.gaps], camera.covered_pct,
         camera.playable_pct, sorted(camera.outside))
        for camera in cover.cameras
    ]


@settings(max_examples=100, deadline=None)
@given(made=clips, tolerance=tolerances,  # whole seconds: a case's window keeps no fraction
       shift=st.integers(-400 * 86_400, 400 * 86_400).map(lambda s: timedelta(seconds=s)))
def test_shifting_every_time_by_a_constant_shifts_the_coverage_exactly(
        made: list[tuple[int, int, list[tuple[int, int]]]], tolerance: int,
        shift: timedelta) -> None:
    here = coverage(report_of(made), window_case(), tolerance=tolerance)
    there = coverage(report_of(made, shift), window_case(shift), tolerance=tolerance)
    assert _shape(there, shift) == _shape(here, timedelta(0))


@settings(max_examples=60, deadline=None)
@given(made=clips, seconds=st.integers(-2 * 86_400, 2 * 86_400),
       later=st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=400)))
def test_a_clock_of_zero_drift_gives_the_real_times_of_the_old_offset(
        made: list[tuple[int, int, list[tuple[int, int]]]], seconds: int,
        later: timedelta) -> None:
    offset = timedelta(seconds=seconds)
    first = datetime(2026, 1, 1)
    clock = [ClockObservation(recorder_time=first, real_time=first - offset),
             ClockObservation(recorder_time=first + later, real_time=first + later - offset)]
    old = window_case(dvr_offset=offset)
    new = window_case(recorders=[Recorder(name=name, observations=clock)
                                 for name in ("NVR_A", "NVR_B")])
    frames = [coverage(report_of(made, case=case)).to_frame() for case in (old, new)]
    for column in ("first_real", "last_real"):
        apart = (frames[0][column] - frames[1][column]).abs()
        assert (apart < timedelta(milliseconds=1)).all()
    gaps = [coverage(report_of(made, case=case)).gaps() for case in (old, new)]
    assert ((gaps[0]["start_real"] - gaps[1]["start_real"]).abs()
            < timedelta(milliseconds=1)).all()

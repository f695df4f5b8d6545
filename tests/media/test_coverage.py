"""Coverage of the requested window: merging, gaps with a tolerance, clips outside, damage;
the timeline figure and the contact sheet; times shift exactly by the DVR offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from media_helpers import TRUNCATED_MP4

from workbench.cases import CaseData
from workbench.errors import MediaError
from workbench.media import MediaReport, Span, coverage, dvr_offset_from
from workbench.media.intervals import holes, merge, overlap
from workbench.media.timing import offset_from, to_real

T0 = datetime(2026, 11, 20, 14)


def span(start_min: float, end_min: float) -> Span:
    return Span(start=T0 + timedelta(minutes=start_min), end=T0 + timedelta(minutes=end_min))


def test_merge_closes_breaks_up_to_the_tolerance() -> None:
    spans = [span(30, 60), span(0, 30.02), span(60.1, 70), span(80, 90), span(85, 86)]
    merged = merge(spans, timedelta(seconds=3))
    assert merged == [span(0, 60), span(60.1, 70), span(80, 90)]
    assert merge(spans, timedelta(seconds=10)) == [span(0, 70), span(80, 90)]


def test_holes_and_overlap_inside_a_window() -> None:
    merged = [span(-10, 20), span(40, 60), span(100, 120)]
    low, high = T0, T0 + timedelta(minutes=90)
    assert holes(merged, low, high, timedelta(0)) == [span(20, 40), span(60, 90)]
    assert overlap(merged, low, high) == pytest.approx(40 * 60)
    assert holes([], low, high, timedelta(0)) == [span(0, 90)]


def test_the_sample_export_against_the_demo_window(sample_report: MediaReport) -> None:
    cov = coverage(sample_report)
    frame = cov.to_frame().set_index("camera")
    assert list(frame.index) == ["ch01", "ch02"]
    assert frame.loc["ch01", "covered_pct"] == pytest.approx(100)
    assert frame.loc["ch01", "gaps"] == 0 and frame.loc["ch01", "outside_window"] == 0
    assert frame.loc["ch02", "covered_pct"] == pytest.approx(70 / 90 * 100)
    assert frame.loc["ch02", "playable_pct"] == pytest.approx(50 / 90 * 100)
    assert frame.loc["ch02", "outside_window"] == 1 and frame.loc["ch02", "problems"] == 1
    gaps = cov.gaps()
    assert gaps[["camera", "start", "end", "seconds"]].values.tolist() == [
        ["ch02", datetime(2026, 11, 20, 14, 20), datetime(2026, 11, 20, 14, 40), 1200.0]]
    assert gaps.loc[0, "start_real"] == datetime(2026, 11, 20, 14, 15, 30)
    (outside,) = cov.cameras[1].outside
    assert outside.name == "NVR_ch2_main_20261120090000_20261120091000.mp4"
    damaged = [clip for clip in cov.clips if clip.problem]
    assert [clip.relative.as_posix() for clip in damaged] == [TRUNCATED_MP4]
    lines = cov.summary_lines()
    assert lines[0].endswith("= 13:55:30 – 15:25:30 real time")
    assert "gap 14:20:00–14:40:00 (20 min)" in lines[2] and "1 damaged" in lines[2]


def test_tolerance_and_a_case_without_a_window(sample_report: MediaReport) -> None:
    no_window = coverage(sample_report, CaseData(occurrence="x"), tolerance=0)
    assert no_window.window is None and no_window.dvr_offset is None
    assert all(camera.covered_pct is None for camera in no_window.cameras)
    ch02 = no_window.cameras[1]  # its own span: 09:00 to 15:30, two holes
    assert [(g.start.time().isoformat(), g.end.time().isoformat()) for g in ch02.gaps] == [
        ("09:10:00", "14:00:00"), ("14:20:00", "14:40:00")]
    wide = coverage(sample_report, tolerance=timedelta(minutes=30))
    assert wide.cameras[1].gaps == []
    with pytest.raises(MediaError):
        coverage(sample_report, tolerance=-1)


def test_the_timeline_and_the_contact_sheet_render(sample_report: MediaReport) -> None:
    figure = coverage(sample_report).figure()
    png = figure.png()
    assert png.startswith(b"\x89PNG") and figure._repr_png_()[:4] == b"\x89PNG"
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [  # bottom up
        "ch02\n+1 outside window", "ch01"]
    assert figure.axes[0].get_xlabel() == "recorder clock"
    sheet = sample_report.contact_sheet(columns=3)
    assert sheet.jpeg.startswith(b"\xff\xd8\xff") and sheet.clips == 7
    assert sheet._repr_jpeg_() == sheet.jpeg
    assert repr(sheet) == f"<ContactSheet: 7 clips, 3 columns, {sheet.width}x{sheet.height} px>"
    assert (sheet.width, sheet.height) == (3 * 248 + 8, 3 * 177 + 8)


def test_the_dvr_offset_from_one_observed_pair() -> None:
    assert dvr_offset_from("2026-11-20T14:04:30", "2026-11-20T14:00:00") == timedelta(
        minutes=4, seconds=30)
    assert dvr_offset_from(datetime(2026, 11, 20, 13, 58), T0) == -timedelta(minutes=2)
    with pytest.raises(MediaError) as bad:
        dvr_offset_from("half past two", T0)
    assert bad.value.payload.type == "ValidationError"
    with pytest.raises(MediaError):
        dvr_offset_from("2026-11-20T14:00:00+01:00", T0)


def test_the_observed_pair_is_read_as_the_case_dates_are_typed() -> None:
    """Slashed times as the case model and the timeline read them: only in the order given."""
    assert dvr_offset_from("20/11/2026 14:04:30", "20/11/2026 14:00",
                           date_order="DMY") == timedelta(minutes=4, seconds=30)
    assert dvr_offset_from("11/20/2026 14:04:30", T0, date_order="MDY") == timedelta(
        minutes=4, seconds=30)
    with pytest.raises(MediaError) as unordered:
        dvr_offset_from("11/03/2026 14:00", T0)
    assert unordered.value.payload.type == "ValidationError"
    assert "set the date order" in str(unordered.value)
    with pytest.raises(MediaError) as no_such_day:  # month 20 does not exist day-first
        dvr_offset_from("11/20/2026 14:00", T0, date_order="DMY")
    assert no_such_day.value.payload.type == "ValidationError"


moments = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1))
offsets = st.timedeltas(min_value=-timedelta(days=2), max_value=timedelta(days=2))


@given(moment=moments, offset=offsets)
def test_real_time_shifts_exactly_by_the_offset(moment: datetime, offset: timedelta) -> None:
    real = to_real(moment, offset)
    assert real is not None and real + offset == moment
    assert offset_from(moment, real) == timedelta(seconds=round(offset.total_seconds()))


@settings(deadline=None)  # the first example imports pandas: seconds on a loaded machine
@given(offset=st.timedeltas(min_value=-timedelta(hours=12), max_value=timedelta(hours=12)))
def test_coverage_tables_shift_exactly_by_the_offset(sample_report: MediaReport,
                                                     offset: timedelta) -> None:
    case = CaseData(occurrence="x", video_start="2026-11-20T14:00", video_end="2026-11-20T15:30",
                    dvr_offset=offset)
    cov = coverage(sample_report, case)
    frame, gaps = cov.to_frame(), cov.gaps()
    assert ((frame["first"] - frame["first_real"]) == offset).all()
    assert ((gaps["start"] - gaps["start_real"]) == offset).all()
    media = sample_report.model_copy(update={"case": case}).to_frame().dropna(
        subset=["recorder_start"])
    assert ((media["recorder_start"] - media["real_start"]) == offset).all()
    assert [camera.covered_pct for camera in cov.cameras] == pytest.approx([100, 70 / 90 * 100])
    assert all(isinstance(c, PurePosixPath) for c in cov.untimed)

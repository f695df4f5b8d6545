"""An export shaped like real recorders': raw streams (with and without VUI timing), a
motion-only clip, two recorders that both number a camera `ch01`, a date folder, and a
recorder that ignores daylight saving; coverage from frames, lanes per camera per recorder,
real times across the daylight-saving change."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from clips import make_clip, raw_h264
from media_helpers import snapshot

from workbench.cases import CaseData, ClockObservation, Recorder
from workbench.cli import main
from workbench.media import MediaReport, coverage, probe_media

MOTION = "NVR_A/ch01_20261120_140000.mp4"
STEADY = "NVR_B/ch01_20261120_140000.mp4"
RAW = "NVR_B/ch02_20261120_140000.264"
UNKNOWN = "NVR_B/2026-11-20/ch03_20261120_140000.h264"
OVER_DST = "NVR_C/ch05_20261025_013000.mp4"


def _motion(path: Path) -> Path:
    # frames 0-1 s and 11-12 s of the clip at 10 fps: a 10 s hole
    return make_clip(path, times=lambda i: i * 9000 + (900_000 if i >= 10 else 0))


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("recorders") / "EXPORT"
    for relative, make in [
        (MOTION, _motion),
        (STEADY, lambda p: make_clip(p, frames=30)),
        (RAW, lambda p: raw_h264(p, fps=12, frames=24)),
        (UNKNOWN, lambda p: raw_h264(p, frames=24, vui_timing=False)),
        (OVER_DST, lambda p: make_clip(p, frames=20)),
    ]:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)
    return root


@pytest.fixture(scope="module")
def case() -> CaseData:
    return CaseData(
        occurrence="2026-0099", time_zone="Europe/London",
        video_start="2026-11-20T14:00", video_end="2026-11-20T14:01",
        recorders=[
            Recorder(name="NVR_A", make="Dahua", observations=[ClockObservation(
                recorder_time=datetime(2026, 11, 20, 14, 2),
                real_time=datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc))],
                time_zone="Europe/London"),
            Recorder(name="NVR_B", make="Hikvision", time_zone="Europe/London"),
            Recorder(name="NVR_C", make="Reolink", time_zone="Europe/London",
                     observes_dst=False),
        ])


@pytest.fixture(scope="module")
def report(export: Path, case: CaseData) -> MediaReport:
    return probe_media(export, case=case, thumbnails=False)


def test_probing_the_export_changes_nothing(export: Path, case: CaseData) -> None:
    before = snapshot(export)
    probe_media(export, case=case, thumbnails=False)
    assert snapshot(export) == before


def test_one_lane_per_camera_per_recorder(report: MediaReport) -> None:
    rows = {row.relative.as_posix(): row for row in report.rows}
    assert (rows[MOTION].recorder, rows[MOTION].camera) == ("NVR_A", "ch01")
    assert (rows[STEADY].recorder, rows[STEADY].camera) == ("NVR_B", "ch01")
    assert rows[UNKNOWN].camera == "ch03"  # the date folder is no camera
    lanes = [camera.camera for camera in coverage(report).cameras]
    assert "NVR_A · ch01" in lanes and "NVR_B · ch01" in lanes


def test_motion_only_clip_shows_its_gap_inside_the_window(report: MediaReport) -> None:
    cover = coverage(report)
    lane = next(c for c in cover.cameras if c.camera == "NVR_A · ch01")
    assert [(s.start.second, s.end.second) for s in lane.recorded] == [(0, 1), (11, 12)]
    assert any(gap.start == datetime(2026, 11, 20, 14, 0, 1) for gap in lane.gaps)
    assert lane.covered_pct == pytest.approx(2 / 60 * 100)


def test_raw_streams_rate_known_or_unknown_and_flagged(report: MediaReport) -> None:
    timing = report.timing().set_index("relative")
    assert timing.loc[RAW, "nominal_fps"] == 12.0
    assert timing.loc[RAW, "duration_s"] == pytest.approx(2.0)
    assert timing.loc[UNKNOWN, "rate_source"] == "unknown"
    assert "DefaultFrameRate" in timing.loc[UNKNOWN, "problems"]
    cover = coverage(report)
    lane = next(c for c in cover.cameras if c.camera.endswith("ch03"))
    assert [p.as_posix() for p in lane.unknown] == [UNKNOWN]
    assert lane.outside == [] and lane.covered_pct == 0.0


def test_real_times_through_each_recorder_clock_and_zone(report: MediaReport) -> None:
    frame = report.to_frame().set_index("relative")
    motion = frame.loc[MOTION, "real_start"]
    assert motion == datetime(2026, 11, 20, 13, 58, tzinfo=timezone.utc)  # 2 min fast; GMT
    # the DST-ignoring recorder's 01:30 on the night the clocks go back is one real time
    over = frame.loc[OVER_DST, "real_start"]
    assert over.utcoffset() == timedelta(0) and (over.hour, over.minute) == (1, 30)


def test_the_repeated_hour_on_a_dst_recorder_is_a_typed_problem(
        report: MediaReport, case: CaseData) -> None:
    observing = case.model_copy(update={"recorders": [
        r.model_copy(update={"observes_dst": True}) for r in case.recorders]})
    problems = report.model_copy(update={"case": observing}).problems()
    assert "AmbiguousTime" in set(problems["type"])


def test_the_cli_shows_rates_unknown_and_lanes(export: Path, case: CaseData, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(case.model_dump_json())
    main(["media", str(export), "--case", str(case_file)])
    out = capsys.readouterr().out
    assert "unknown" in out and "DefaultFrameRate" in out
    assert "NVR_A · ch01" in out and "NVR_B · ch01" in out


def test_the_printable_report_shows_rates_lanes_and_unknown_extent(report: MediaReport) -> None:
    from workbench.reports import report_html

    page = report_html(report)
    assert "unknown!" in page and "DefaultFrameRate" in page
    assert "NVR_A · ch01" in page and "NVR_B · ch01" in page

"""The frame rate the analyst sets, per file or per camera: applied to the rows it names,
recorded in the analysis and the report as "set by the analyst", never taken for a header's
rate; bad rates and keys are typed errors before anything is probed."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from clips import ffprobe_packets, make_clip, raw_h264
from media_helpers import snapshot

from workbench.cli import main
from workbench.errors import MediaError, is_kind
from workbench.errors import ValidationError as Invalid
from workbench.media import MediaReport, coverage, probe_media, stored_media
from workbench.media.decode.reduce import TimestampReducer
from workbench.media.decode.types import with_analyst_rate
from workbench.media.frames import FrameTiming
from workbench.reports import report_html

NO_VUI = "DVR/ch03/ch03_20261120_140000.h264"
VUI = "DVR/ch02/ch02_20261120_140000.264"
TIMED = "DVR/ch01/ch01_20261120_140000.mp4"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rates") / "EXPORT"
    for relative, make in [
        (NO_VUI, lambda p: raw_h264(p, frames=24, vui_timing=False)),
        (VUI, lambda p: raw_h264(p, fps=12, frames=24)),
        (TIMED, lambda p: make_clip(p, frames=30)),  # 10 fps, its own timestamps
    ]:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)
    return root


def _row(report: MediaReport, relative: str):  # type: ignore[no-untyped-def]
    return next(row for row in report.rows if row.relative.as_posix() == relative)


def test_a_rate_for_a_raw_stream_without_one_gives_its_extent(export: Path) -> None:
    before = snapshot(export)
    report = probe_media(export, thumbnails=False, rates={"ch03_20261120_140000.h264": 8})
    assert snapshot(export) == before
    row = _row(report, NO_VUI)
    timing = row.timing
    assert timing is not None
    assert timing.frames == ffprobe_packets(export / NO_VUI)[0] == 24
    assert timing.nominal_rate is not None and timing.nominal_rate.fraction == 8
    assert timing.rate_source == "analyst" and timing.header_rate is None
    assert timing.duration_s == pytest.approx(3.0)  # 24 frames at 8 fps, not at FFmpeg's 25
    assert row.duration_s == pytest.approx(3.0) and row.avg_frame_rate == 8.0
    assert "DefaultFrameRate" not in {problem.type for problem in timing.problems}
    assert (row.recorder_end - row.recorder_start).total_seconds() == pytest.approx(3.0)
    assert row.rate_label() == "8 (set by the analyst; no header rate)"
    assert report.rates["ch03_20261120_140000.h264"].fraction == 8
    span = next(clip for clip in coverage(report).clips if clip.relative.as_posix() == NO_VUI)
    assert not span.unknown and span.seconds == pytest.approx(3.0)


def test_without_a_rate_the_same_stream_stays_unknown(export: Path) -> None:
    row = _row(probe_media(export, thumbnails=False), NO_VUI)
    assert row.timing is not None and row.timing.nominal_rate is None
    assert row.rate_label() == "unknown!" and row.duration_s is None


def test_a_camera_rate_applies_to_its_files_and_a_files_own_wins(export: Path) -> None:
    report = probe_media(export, thumbnails=False,
                         rates={"ch02": "30000/1001", VUI: 6, "ch01": 10})
    raw = _row(report, VUI).timing
    assert raw is not None and raw.nominal_rate is not None
    assert raw.nominal_rate.fraction == 6  # the file's own rate before its camera's
    assert raw.header_rate is not None and raw.header_rate.fraction == 12  # kept, not lost
    assert raw.duration_s == pytest.approx(4.0)
    assert _row(report, VUI).rate_label() == "6 (set by the analyst; header 12)"
    timed = _row(report, TIMED).timing
    assert timed is not None and timed.rate_source == "analyst"
    assert timed.intervals[0].end_s - timed.intervals[0].start_s == pytest.approx(3.0)
    assert timed.problems == []
    untouched = _row(report, NO_VUI).timing
    assert untouched is not None and untouched.rate_source is None


def test_a_rate_unlike_a_timed_clips_frames_is_a_mismatch_not_a_new_extent(
        export: Path) -> None:
    timed = _row(probe_media(export, thumbnails=False, rates={TIMED: 25}), TIMED).timing
    assert timed is not None
    assert timed.duration_s == pytest.approx(3.0)  # its own timestamps still place it
    mismatch = [problem for problem in timed.problems if problem.type == "RateMismatch"]
    assert [(p.nominal_fps, p.measured_fps) for p in mismatch] == [(25.0, 10.0)]


def test_the_analysis_and_the_report_say_who_set_the_rate(tmp_path: Path, export: Path) -> None:
    report = probe_media(export, thumbnails=False, rates={"ch03": 8})
    again = MediaReport.model_validate_json(report.model_dump_json())
    assert _row(again, NO_VUI).timing.rate_source == "analyst"  # type: ignore[union-attr]
    assert again.rates["ch03"].fps == 8
    table = report.timing().set_index("relative")
    assert table.loc[NO_VUI, "rate_source"] == "analyst"
    assert table.loc[VUI, "rate_source"] == "stream-headers"
    page = report_html(report)
    assert "set by the analyst" in page and "ch03 = 8 fps" in page


@pytest.mark.parametrize(("rates", "field"), [
    ({"ch03": 0}, "rates[ch03]"),
    ({"ch03": -12}, "rates[ch03]"),
    ({"ch03": "fast"}, "rates[ch03]"),
    ({"ch03": "1/0"}, "rates[ch03]"),
    ({"ch03": float("nan")}, "rates[ch03]"),
    ({"ch03": float("inf")}, "rates[ch03]"),
    ({"ch03": 10**9}, "rates[ch03]"),
    ({" ": 12}, "rates"),
])
def test_a_bad_rate_is_refused_before_anything_is_probed(export: Path, rates: dict[str, object],
                                                         field: str) -> None:
    with pytest.raises(MediaError) as error:
        probe_media(export / "missing", thumbnails=False, rates=rates)  # type: ignore[arg-type]
    assert is_kind(error.value, Invalid) and error.value.payload.field == field


def test_a_key_that_names_no_file_or_camera_is_refused(export: Path) -> None:
    with pytest.raises(MediaError) as error:
        probe_media(export, thumbnails=False, rates={"ch9": 12})
    assert is_kind(error.value, Invalid) and error.value.payload.actual == "ch9"


def test_a_case_folder_keeps_the_rate_in_its_stored_analysis(tmp_path: Path,
                                                             export: Path) -> None:
    import shutil

    case_dir = tmp_path / "case"
    shutil.copytree(export, case_dir)
    (case_dir / "_evidence").mkdir()
    probe_media(case_dir, thumbnails=False, rates={"ch03": 8})
    stored = stored_media(case_dir)
    assert stored is not None and stored.rates["ch03"].fps == 8
    assert _row(stored, NO_VUI).rate_label().startswith("8 (set by the analyst")


def test_the_cli_sets_rates_and_refuses_a_bad_one(export: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    main(["media", str(export), "--rate", "ch03=8", "--rate", f"{VUI}=6"])
    out = capsys.readouterr().out
    assert "8 (set by the analyst; no header rate)" in out
    assert "6 (set by the analyst; header 12)" in out
    assert main(["media", str(export), "--rate", "ch03"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "FILE_OR_CAMERA=FPS" in err[0]


def test_setting_a_rate_twice_keeps_the_headers_rate() -> None:
    reducer = TimestampReducer(Fraction(1, 1000))
    for _ in range(30):
        reducer.add(None, None)
    timing = FrameTiming.model_validate(reducer.finish(
        stream=0, raw=True, nominal=Fraction(15), rate_source="stream-headers"))
    twice = with_analyst_rate(with_analyst_rate(timing, Fraction(10)), Fraction(5))
    assert twice.header_rate is not None and twice.header_rate.fps == 15
    assert twice.nominal_rate is not None and twice.nominal_rate.fps == 5
    assert twice.duration_s == pytest.approx(6.0)

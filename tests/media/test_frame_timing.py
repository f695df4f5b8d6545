"""Frame timing: packet timestamps reduced to intervals, rates and typed timing problems,
checked on clips shaped like recorders' exports with `ffprobe` as the oracle."""

from __future__ import annotations

import io
import subprocess
from fractions import Fraction
from pathlib import Path

import psutil
import pytest
from clips import (
    TICKS,
    ffprobe_packets,
    ffprobe_stream,
    make_clip,
    raw_h264,
    raw_hevc,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from media_helpers import snapshot
from PIL import Image

from workbench.errors import MediaError
from workbench.media import frame_timing, probe_media
from workbench.media.decode import ProbeRequest
from workbench.media.decode.probe import probe_file
from workbench.media.decode.reduce import MAX_BREAKS, TimestampReducer
from workbench.media.frames import (
    DefaultFrameRate,
    FrameTiming,
    NonMonotonic,
    RateMismatch,
    TimestampJump,
)

MS = Fraction(1, 1000)


def reduce(stamps: list[int | None], *, base: Fraction = MS, **finish: object) -> FrameTiming:
    reducer = TimestampReducer(base)
    for stamp in stamps:
        reducer.add(stamp, stamp)
    return FrameTiming.model_validate(reducer.finish(stream=0, **finish))  # type: ignore[arg-type]


def kinds(timing: FrameTiming) -> set[str]:
    return {problem.type for problem in timing.problems}


# --- the reduction ---------------------------------------------------------------------------

def test_steady_stream_is_one_interval_with_its_rate() -> None:
    timing = reduce(list(range(0, 10_000, 100)), nominal=Fraction(10))
    assert timing.frames == 100
    assert [(i.start_s, i.end_s, i.frames) for i in timing.intervals] == [(0.0, 10.0, 100)]
    assert timing.measured_fps == 10.0
    assert not timing.variable_rate
    assert timing.problems == []


def test_motion_only_clip_keeps_its_gaps() -> None:
    stamps = [*range(0, 2000, 100), *range(30_000, 31_000, 100), *range(90_000, 90_500, 100)]
    timing = reduce(stamps)
    assert [(i.start_s, i.end_s, i.frames) for i in timing.intervals] == [
        (0.0, 2.0, 20), (30.0, 31.0, 10), (90.0, 90.5, 5)]
    assert timing.recorded_s == pytest.approx(3.5)
    assert timing.duration_s == pytest.approx(90.5)


def test_a_dropped_frame_is_no_gap() -> None:
    stamps = [t for t in range(0, 5000, 100) if t != 2000]
    assert len(reduce(stamps).intervals) == 1


def test_frames_out_of_presentation_order_are_reordered() -> None:
    # decode order of an IBBP stream: presentation times arrive shuffled within a GOP
    order = [0, 300, 100, 200, 600, 400, 500, 900, 700, 800]
    timing = reduce(order)
    assert kinds(timing) == set()
    assert timing.intervals[0].frames == 10


def test_backwards_and_repeated_timestamps_are_typed() -> None:
    stamps = [*range(0, 5000, 100), 4900, 4900, *range(-100_000, -95_000, 100)]
    timing = reduce(stamps)
    problem = next(p for p in timing.problems if isinstance(p, NonMonotonic))
    assert problem.backwards >= 1 and problem.repeated >= 1
    assert sum(i.frames for i in timing.intervals) == len(stamps)


def test_a_jump_by_days_is_typed() -> None:
    day = 86_400_000
    timing = reduce([*range(0, 3000, 100), *range(3 * day, 3 * day + 3000, 100)])
    jump = next(p for p in timing.problems if isinstance(p, TimestampJump))
    assert jump.seconds == pytest.approx(3 * 86_400 - 2.9)
    assert len(timing.intervals) == 2


def test_nominal_rate_unlike_the_frames_is_a_mismatch() -> None:
    timing = reduce(list(range(0, 10_000, 200)), nominal=Fraction(25))
    mismatch = next(p for p in timing.problems if isinstance(p, RateMismatch))
    assert (mismatch.nominal_fps, mismatch.measured_fps) == (25.0, 5.0)


def test_raw_stream_without_rate_has_unknown_extent() -> None:
    timing = reduce([None] * 40, raw=True, assumed=Fraction(25))
    assert timing.frames == 40 and timing.intervals == [] and timing.duration_s is None
    assert timing.nominal_rate is None
    assert isinstance(timing.problems[0], DefaultFrameRate)
    assert timing.problems[0].assumed_fps == 25.0


def test_raw_stream_with_a_declared_rate_is_frames_over_rate() -> None:
    timing = reduce([None] * 36, raw=True, nominal=Fraction(12), rate_source="stream-headers")
    assert timing.duration_s == 3.0 and timing.measured_fps is None
    assert timing.problems == []


def test_zero_duration_and_untimed_packets_count_but_place_nothing() -> None:
    timing = reduce([0, None, 100, None, 200])
    assert timing.frames == 5
    assert sum(i.frames for i in timing.intervals) == 3


def test_breaks_past_the_maximum_fold_into_the_last_interval() -> None:
    stamps = [n * 10_000 + k * 100 for n in range(MAX_BREAKS + 50) for k in range(2)]
    timing = reduce(stamps)
    assert timing.intervals_capped
    assert len(timing.intervals) <= MAX_BREAKS + 1
    assert sum(i.frames for i in timing.intervals) == len(stamps)


@pytest.mark.slow
def test_a_day_of_30_fps_stays_within_a_few_mb() -> None:
    """24 hours at 30 fps (2.6 million frames, 90 kHz ticks), a one-second hole every minute:
    the process grows by less than a few MB (tracemalloc would take minutes at this count)."""
    reducer = TimestampReducer(Fraction(1, TICKS))
    process = psutil.Process()
    before = process.memory_info().rss
    for index in range(24 * 3600 * 30):
        if index % 1800 >= 30:
            stamp = index * 3000
            reducer.add(stamp, stamp)
    timing = FrameTiming.model_validate(reducer.finish(stream=0))
    grown = process.memory_info().rss - before
    assert timing.frames == 2_592_000 - 1440 * 30 and len(timing.intervals) == 1440
    assert timing.intervals[-1].end_s == pytest.approx(86_400)
    assert grown < 4 * 1024 * 1024


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5000), min_size=2, max_size=200),
       st.integers(-10**9, 10**9))
def test_shifting_every_timestamp_shifts_the_intervals_exactly(steps: list[int],
                                                                shift: int) -> None:
    stamps = [sum(steps[:i]) for i in range(len(steps))]
    base, moved = reduce(stamps), reduce([s + shift for s in stamps])
    assert [(i.frames) for i in moved.intervals] == [i.frames for i in base.intervals]
    for one, two in zip(base.intervals, moved.intervals, strict=True):
        assert two.start_s - one.start_s == pytest.approx(shift / 1000)
        assert two.end_s - one.end_s == pytest.approx(shift / 1000)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-10**12, 10**12)), max_size=300))
def test_any_timestamps_give_a_row_never_an_exception(stamps: list[int | None]) -> None:
    timing = reduce(stamps)
    assert timing.frames == len(stamps)
    if timing.intervals:  # none when fewer than two frames are timed: no interval is known
        assert sum(i.frames for i in timing.intervals) == sum(s is not None for s in stamps)
    for interval in timing.intervals:
        assert interval.end_s >= interval.start_s


# --- real clips, ffprobe as the oracle -------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt", "times"), [
    ("steady.mp4", None, None),
    ("motion.mp4", None, lambda i: i * 9000 + (900_000 if i >= 10 else 0)),
    ("motion.mkv", None, lambda i: i * 9000 + (450_000 if i >= 12 else 0)),
    ("wrap.ts", "mpegts", lambda i: 2**33 - 45_000 + i * 9000),
])
def test_packets_and_timestamps_equal_ffprobes(tmp_path: Path, name: str, fmt: str | None,
                                               times: object) -> None:
    clip = make_clip(tmp_path / name, fmt=fmt, times=times)  # type: ignore[arg-type]
    timing = frame_timing(clip)
    assert timing is not None
    assert (timing.frames, timing.timestamps_digest) == ffprobe_packets(clip)


def test_motion_clip_shows_its_gap(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "motion.mp4", times=lambda i: i * 9000 + (
        900_000 if i >= 10 else 0))
    timing = frame_timing(clip)
    assert timing is not None
    assert [(i.start_s, i.end_s, i.frames) for i in timing.intervals] == [
        (0.0, 1.0, 10), (11.0, 12.0, 10)]
    assert timing.measured_fps == 10.0 and timing.rate_source == "stream-headers"


def test_mpeg_ts_33_bit_wrap_is_one_interval(tmp_path: Path) -> None:
    # the muxer writes each time modulo 2^33: the file's own timestamps wrap to 0 mid-clip
    clip = make_clip(tmp_path / "wrap.ts", fmt="mpegts", frames=30,
                     times=lambda i: 2**33 - 45_000 + i * 9000)
    timing = frame_timing(clip)
    assert timing is not None
    assert len(timing.intervals) == 1 and timing.intervals[0].frames == 30
    assert timing.duration_s == pytest.approx(3.0)
    assert kinds(timing) == set()


@pytest.mark.parametrize(("maker", "fps"), [
    (lambda p: raw_h264(p / "a.264", fps=12), 12),
    (lambda p: raw_hevc(p / "a.265", fps=15), 15),
])
def test_raw_stream_rate_from_its_vui_as_ffprobe_reads_it(tmp_path: Path, maker: object,
                                                          fps: int) -> None:
    clip = maker(tmp_path)  # type: ignore[operator]
    timing = frame_timing(clip)
    assert timing is not None and timing.nominal_rate is not None
    assert timing.nominal_rate.fraction == Fraction(ffprobe_stream(clip)["r_frame_rate"])
    assert timing.nominal_rate.fps == fps and timing.rate_source == "stream-headers"
    assert timing.frames == ffprobe_packets(clip)[0] == 20
    assert timing.duration_s == pytest.approx(20 / fps)


@pytest.mark.parametrize("maker", [
    lambda p: raw_h264(p / "novui.264", vui_timing=False),
    lambda p: raw_hevc(p / "novui.265", vui_timing=False),
])
def test_raw_stream_without_vui_timing_is_unknown_not_25(tmp_path: Path, maker: object) -> None:
    clip = maker(tmp_path)  # type: ignore[operator]
    assert ffprobe_stream(clip)["r_frame_rate"] == "25/1"  # FFmpeg's default, not the stream's
    timing = frame_timing(clip)
    assert timing is not None
    assert timing.nominal_rate is None and timing.duration_s is None
    assert kinds(timing) == {"DefaultFrameRate"}
    row = probe_media(clip, thumbnails=False).rows[0]
    assert row.avg_frame_rate is None and row.real_frame_rate is None and row.duration_s is None
    assert "DefaultFrameRate" in set(probe_media(clip, thumbnails=False).problems()["type"])


def test_raw_stream_without_sps_is_a_typed_row(tmp_path: Path) -> None:
    clip = raw_h264(tmp_path / "nosps.264", sps=False)
    row = probe_media(clip, thumbnails=False).rows[0]
    assert row.kind == "video" and row.problem is not None
    assert row.avg_frame_rate is None


def test_a_header_claiming_a_billion_frames_is_counted(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "claim.avi", frames=12)
    data = bytearray(clip.read_bytes())
    header = data.index(b"strh") + 8  # AVISTREAMHEADER: dwLength at byte 32
    data[header + 32:header + 36] = (10**9).to_bytes(4, "little")
    clip.write_bytes(bytes(data))
    assert ffprobe_stream(clip)["nb_frames"] == str(10**9)
    timing = frame_timing(clip)
    assert timing is not None and timing.frames == 12 == ffprobe_packets(clip)[0]


def test_frame_timing_of_a_missing_or_foreign_file_is_typed(tmp_path: Path) -> None:
    with pytest.raises(MediaError) as missing:
        frame_timing(tmp_path / "gone.mp4")
    assert missing.value.payload.type == "PathNotFound"
    text = tmp_path / "notes.mp4"
    text.write_bytes(b"\x00\x01not a video" * 10)
    with pytest.raises(MediaError) as foreign:
        frame_timing(text)
    assert foreign.value.payload.type == "NotMedia"


def test_probe_reports_timing_and_changes_no_evidence(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    make_clip(folder / "motion.mp4", times=lambda i: i * 9000 + (900_000 if i >= 10 else 0))
    raw_h264(folder / "raw.264")
    before = snapshot(folder)
    report = probe_media(folder, thumbnails=False)
    assert snapshot(folder) == before
    table = report.timing().set_index("relative")
    assert table.loc["motion.mp4", "intervals"] == 2
    assert table.loc["raw.264", "nominal_fps"] == 12.0
    assert table.loc["raw.264", "rate_source"] == "stream-headers"
    frame = report.to_frame().set_index("relative")
    assert frame.loc["motion.mp4", "recorded_s"] == pytest.approx(2.0)


def test_keyframe_of_a_rotated_phone_clip_is_upright_as_ffmpeg_shows_it(tmp_path: Path) -> None:
    """Keyframes honour the display matrix: the white block's corner matches the frame the
    real `ffmpeg` (which rotates by default) decodes."""
    plain = make_clip(tmp_path / "plain.mp4", frames=5)
    clip = tmp_path / "phone.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(plain), "-c", "copy",
                    "-metadata:s:v:0", "rotate=90", str(clip)], check=True)
    oracle = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-frames:v", "1",
                             "-f", "image2pipe", "-c:v", "png", "-"],
                            capture_output=True, check=True).stdout
    expected = Image.open(io.BytesIO(oracle)).convert("L")
    result = probe_file(ProbeRequest(str(clip), (200, 200)))
    assert result.thumbnail is not None
    image = Image.open(io.BytesIO(result.thumbnail)).convert("L")
    assert (image.width < image.height) == (expected.width < expected.height)
    small = expected.resize(image.size)
    corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1),
               (image.width - 1, image.height - 1)]
    brightest = max(corners, key=lambda xy: int(image.getpixel(xy)))  # type: ignore[arg-type]
    assert brightest == max(corners, key=lambda xy: int(small.getpixel(xy)))  # type: ignore[arg-type]

"""Bad input in one export, probed in one call: every file a typed row or a typed problem,
nothing raised out of the batch, the evidence's bytes and mtimes unchanged; packet counts and
timestamps equal `ffprobe`'s where FFmpeg reads the file at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from clips import ffprobe_packets, ffprobe_stream, make_clip, raw_h264
from media_helpers import snapshot

from workbench.media import MediaReport, probe_media

DAY = 86_400 * 90_000
CLIPS = {
    # the muxer writes each time modulo 2^33: the timestamps wrap to 0 mid-clip
    "NVR/ch01_20261120_140000.ts": lambda p: make_clip(
        p, fmt="mpegts", frames=30, times=lambda i: 2**33 - 45_000 + i * 9000),
    # five frames at each timestamp: frames of zero duration
    "NVR/ch02_20261120_140000.mkv": lambda p: make_clip(
        p, frames=20, times=lambda i: 90_000 * (i // 5)),
    # the clock jumps three days forward mid-clip
    "NVR/ch03_20261120_140000.mkv": lambda p: make_clip(
        p, frames=20, times=lambda i: i * 9000 + (3 * DAY if i >= 10 else 0)),
    "NVR/ch04_20261120_140000.264": lambda p: raw_h264(p, sps=False),
    "NVR/ch05_20261120_140000.264": lambda p: raw_h264(p, vui_timing=False),
    "NVR/cam_2026-02-30 14.00.00.mp4": lambda p: make_clip(p, frames=5),
    "NVR/01-02-2026 14.00.00.mp4": lambda p: make_clip(p, frames=5),
    "NVR/claim.avi": lambda p: _billion(make_clip(p, frames=12)),
}


def _billion(clip: Path) -> Path:
    """The AVI stream header's frame count (dwLength) set to a billion."""
    data = bytearray(clip.read_bytes())
    header = data.index(b"strh") + 8
    data[header + 32:header + 36] = (10**9).to_bytes(4, "little")
    clip.write_bytes(bytes(data))
    return clip


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "EXPORT"
    for relative, make in CLIPS.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        make(root / relative)
    return root


@pytest.fixture(scope="module")
def probed(export: Path) -> tuple[MediaReport, dict[str, tuple[int, int, bytes]],
                                  dict[str, tuple[int, int, bytes]]]:
    before = snapshot(export)
    report = probe_media(export, thumbnails=False)
    return report, before, snapshot(export)


def _row(report: MediaReport, name: str):  # type: ignore[no-untyped-def]
    return next(row for row in report.rows if row.relative.name == name)


def _types(report: MediaReport, name: str) -> set[str]:
    return {problem.type for problem, _text in _row(report, name).all_problems()}


def test_every_file_is_a_row_and_no_evidence_changes(probed) -> None:  # type: ignore[no-untyped-def]
    report, before, after = probed
    assert after == before
    assert report.outcome == "completed"
    assert sorted(row.relative.as_posix() for row in report.rows) == sorted(CLIPS)
    assert all(row.kind == "video" for row in report.rows)
    assert not report.problems().empty


def test_packet_counts_and_timestamps_equal_ffprobes(export: Path, probed) -> None:  # type: ignore[no-untyped-def]
    report = probed[0]
    for row in report.rows:
        if row.relative.name.startswith("ch04"):  # no SPS: nothing to time (see below)
            continue
        assert row.timing is not None, row.relative
        frames, digest = ffprobe_packets(export / row.relative)
        assert row.timing.frames == frames, row.relative
        if row.relative.suffix != ".avi":  # an AVI stores no presentation times: Debian's
            # ffprobe 5.1 says N/A, the FFmpeg 8.1 inside PyAV makes them up (dts + 1)
            assert row.timing.timestamps_digest == digest, row.relative


def test_the_wrap_is_one_steady_interval(probed) -> None:  # type: ignore[no-untyped-def]
    timing = _row(probed[0], "ch01_20261120_140000.ts").timing
    assert len(timing.intervals) == 1 and timing.duration_s == pytest.approx(3.0)
    assert timing.problems == []


def test_zero_duration_frames_are_typed(probed) -> None:  # type: ignore[no-untyped-def]
    timing = _row(probed[0], "ch02_20261120_140000.mkv").timing
    repeated = [p for p in timing.problems if p.type == "NonMonotonic"]
    assert repeated and repeated[0].repeated == 16 and repeated[0].backwards == 0


def test_a_jump_by_days_is_typed_and_kept_apart(probed) -> None:  # type: ignore[no-untyped-def]
    timing = _row(probed[0], "ch03_20261120_140000.mkv").timing
    assert "TimestampJump" in {p.type for p in timing.problems}
    assert len(timing.intervals) == 2


def test_raw_streams_without_sps_or_rate(probed) -> None:  # type: ignore[no-untyped-def]
    report = probed[0]
    assert _row(report, "ch04_20261120_140000.264").problem is not None
    assert "DefaultFrameRate" in _types(report, "ch05_20261120_140000.264")
    assert _row(report, "ch05_20261120_140000.264").duration_s is None


def test_impossible_and_ambiguous_names_give_no_time(probed) -> None:  # type: ignore[no-untyped-def]
    report = probed[0]
    for name in ("cam_2026-02-30 14.00.00.mp4", "01-02-2026 14.00.00.mp4"):
        assert _row(report, name).time_source != "filename"


def test_a_billion_frame_claim_is_counted_not_believed(export: Path, probed) -> None:  # type: ignore[no-untyped-def]
    row = _row(probed[0], "claim.avi")
    assert ffprobe_stream(export / "NVR/claim.avi")["nb_frames"] == str(10**9)
    assert row.timing.frames == 12 and row.timing.duration_s == pytest.approx(1.2)

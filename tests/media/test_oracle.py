"""Oracle: Debian's `ffprobe` reads the same duration, codec, resolution and frame rates as
the workbench's in-process probe (the product itself never runs ffprobe)."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from clips import ffprobe_packets
from media_helpers import remux, write_wav

from workbench.media import MediaReport, probe_media

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs Debian ffmpeg")


def ffprobe(path: Path) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         str(path)], capture_output=True, check=True, text=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def rate(text: str) -> float | None:
    value = Fraction(text) if text != "0/0" else Fraction(0)
    return float(value) or None


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> MediaReport:
    folder = tmp_path_factory.mktemp("oracle")
    for path in sample_dir.rglob("*"):
        if path.is_file() and path.suffix in {".mp4", ".dav"}:
            (folder / path.name).write_bytes(path.read_bytes())
    remux(sample_dir / "CAM02" / "NVR_ch2_main_20261120144000_20261120151000.mp4",
          folder / "remuxed.mov", {"title": "remuxed"})
    write_wav(folder / "door.wav", seconds=2.5, rate=16000)
    return probe_media(folder, thumbnails=False)


def test_same_fields_as_ffprobe(clips: MediaReport) -> None:
    compared = 0
    for row in clips.rows:
        if row.problem is not None:
            continue
        oracle = ffprobe(row.path)
        assert row.duration_s == pytest.approx(float(oracle["format"]["duration"]), abs=1e-3)
        video = [s for s in oracle["streams"] if s["codec_type"] == "video"]
        audio = [s for s in oracle["streams"] if s["codec_type"] == "audio"]
        if video:
            stream = video[0]
            assert (row.video_codec, row.width, row.height) == (
                stream["codec_name"], stream["width"], stream["height"])
            assert row.avg_frame_rate == pytest.approx(rate(stream["avg_frame_rate"]))
            assert row.real_frame_rate == pytest.approx(rate(stream["r_frame_rate"]))
        if audio:
            stream = audio[0]
            assert (row.audio_codec, row.audio_rate, row.audio_channels) == (
                stream["codec_name"], int(stream["sample_rate"]), stream["channels"])
        compared += 1
    assert compared == 8  # 3 .dav + 3 whole .mp4 + the remuxed .mov + the .wav


def test_ffprobe_also_refuses_the_damaged_clip(sample_dir: Path) -> None:
    damaged = sample_dir / "CAM02" / "NVR_ch2_main_20261120151000_20261120153000.mp4"
    done = subprocess.run(["ffprobe", "-v", "error", str(damaged)], capture_output=True,
                          text=True)
    assert done.returncode != 0 and "moov atom not found" in done.stderr


def test_packet_counts_and_timestamps_equal_ffprobes(clips: MediaReport) -> None:
    """Every packet's (pts, dts) of each sample clip's video, as `ffprobe -show_packets`
    prints them, equals what the frame timing read (its digest) and so does the count."""
    timed = [row for row in clips.rows if row.timing is not None]
    assert len(timed) == 7  # 3 .dav + 3 whole .mp4 + the remuxed .mov
    for row in timed:
        assert row.timing is not None
        assert (row.timing.frames, row.timing.timestamps_digest) == ffprobe_packets(
            row.path), row.relative

"""A Dahua `.dav` clip's frames carry the recorder's clock (FFmpeg's dhav demuxer gives each
its epoch time in ms): the workbench reads it as the recorder clock of every frame, equal to
what Debian's `ffprobe -show_packets` reads, and a motion-only `.dav` shows its gap."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import av
import pytest
from clips import ffprobe_packets, make_clip

from workbench.media import coverage, frame_timing, probe_media

TOOL = Path(__file__).resolve().parents[2] / "tools" / "make_sample_footage.py"
START = datetime(2026, 11, 20, 14, 0, 0)
GAP_MS = 60_000


def _sample_tool() -> ModuleType:
    """The sample footage maker, the one owner of the DHAV frame writer."""
    spec = importlib.util.spec_from_file_location("make_sample_footage", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def motion_dav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 frames at 5 fps in DHAV frames, the recorder's clock stopping for a minute after
    frame 15 (nothing moved)."""
    folder = tmp_path_factory.mktemp("dav") / "NVR" / "ch01"
    folder.mkdir(parents=True)
    raw = make_clip(folder.parent.parent / "frames.264", fmt="h264", fps=5, frames=30)
    tool, target = _sample_tool(), folder / "motion.dav"
    with av.open(str(raw)) as source, target.open("wb") as out:
        packets = [packet for packet in source.demux(source.streams.video[0]) if packet.size]
        for number, packet in enumerate(packets):
            millis = number * 200 + (GAP_MS if number >= 15 else 0)
            out.write(tool.dhav_frame(number, packet.is_keyframe, 1,
                                      START + timedelta(milliseconds=millis), millis,
                                      bytes(packet), 5))
    return target


def _ffprobe_pts(path: Path) -> list[int]:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_packets",
                          "-of", "json", str(path)], capture_output=True, check=True).stdout
    return [int(packet["pts"]) for packet in json.loads(out)["packets"]]


def test_the_frames_clock_is_ffprobes_dhav_pts(motion_dav: Path) -> None:
    timing = frame_timing(motion_dav)
    assert timing is not None and timing.origin == "epoch"
    assert (timing.frames, timing.timestamps_digest) == ffprobe_packets(motion_dav)
    pts = _ffprobe_pts(motion_dav)  # the dhav demuxer's time base is 1/1000 s
    assert pts[0] == (START - datetime(1970, 1, 1)) // timedelta(milliseconds=1)
    assert [run.start_s for run in timing.intervals] == [pts[0] / 1000, pts[15] / 1000]
    assert [run.frames for run in timing.intervals] == [15, 15]
    assert timing.measured_fps == 5.0


def test_the_recorder_clock_of_each_frame_places_the_clip(motion_dav: Path) -> None:
    before = motion_dav.stat()
    report = probe_media(motion_dav.parent.parent, thumbnails=False)
    after = motion_dav.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    row = next(row for row in report.rows if row.relative.name == "motion.dav")
    assert row.container == "dhav" and row.container_time == START
    assert row.time_source == "container"
    clip = next(clip for clip in coverage(report).clips if clip.relative == row.relative)
    epoch, pts = datetime(1970, 1, 1), _ffprobe_pts(motion_dav)
    expected = [(pts[0], pts[14] + 200), (pts[15], pts[29] + 200)]  # ends: one frame on
    assert [(run.start, run.end) for run in clip.runs] == [
        (epoch + timedelta(milliseconds=low), epoch + timedelta(milliseconds=high))
        for low, high in expected]
    assert clip.runs[1].start - START == timedelta(seconds=63)  # the minute nothing moved

"""The timeline video of the sample case: a grid in real time, the gap slated, a sidecar naming
every segment's source; a window without footage is one slate, not an error."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

import workbench as wb
from workbench.conversion import RenderProgress, render_timeline
from workbench.errors import ConversionError
from workbench.events import CancelToken

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs Debian ffmpeg")


def _frames(path: Path) -> tuple[str, int, int, int]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True)
    codec, width, height, frames = done.stdout.strip().split(",")
    return codec, int(width), int(height), int(frames)


def test_the_window_with_a_gap_becomes_a_grid_with_a_slate(case_dir: Path) -> None:
    # real time: the recorder is 4 min 30 s ahead, so ch02's gap (DVR 14:20-14:40) is
    # 14:15:30-14:35:30 real
    events: list[RenderProgress] = []
    video = render_timeline(case_dir, "2026-11-20T14:13:30", "2026-11-20T14:17:30",
                            on_progress=events.append)
    assert video.path is not None and video.path.parent == case_dir / "derived" / "timeline"
    assert events[-1] == RenderProgress(240, 240, video.path.name)  # frames done of all
    assert [e.frames_done for e in events] == sorted({e.frames_done for e in events})
    assert _frames(video.path) == ("mpeg4", 384, 130, 240)  # 2 tiles of 192x108 + banner
    kinds = [(s.camera, s.kind) for s in video.segments]
    assert kinds == [("ch01", "footage"), ("ch02", "footage"), ("ch02", "gap")]
    gap = video.segments[-1]
    assert (f"{gap.real_start:%H:%M:%S}", f"{gap.real_end:%H:%M:%S}") == ("14:15:30", "14:17:30")
    footage = video.segments[0]
    assert footage.source is not None and footage.source_blake3 is not None
    assert footage.source_start_s == pytest.approx(18 * 60)
    assert video.sidecar is not None
    sidecar = json.loads(video.sidecar.read_text())
    assert "not evidence" in sidecar["what"] and len(sidecar["segments"]) == 3
    assert "mpeg4" in video.encoder and "LGPL" in video.encoder
    entry = json.loads((case_dir / "_evidence/custody.jsonl").read_text().splitlines()[-1])
    assert entry["kind"] == "timeline" and "not evidence" in entry["tool"]
    assert entry["outputs"][0]["blake3"] == video.blake3
    audit = wb.verify_case(case_dir)
    assert audit.ok and {row.status for row in audit.derived} == {"ok"}


def test_a_window_without_footage_is_one_slate(case_dir: Path) -> None:
    video = render_timeline(case_dir, "2026-11-20T03:00:00", "2026-11-20T03:00:05")
    assert video.path is not None and _frames(video.path)[3] == 5
    assert {s.kind for s in video.segments} == {"gap"}


def test_slashed_times_are_read_only_in_the_date_order_given(case_dir: Path) -> None:
    with pytest.raises(ConversionError) as caught:
        render_timeline(case_dir, "11/20/2026 03:00", "11/20/2026 03:01")
    assert "set the date order" in str(caught.value)
    with pytest.raises(ConversionError):  # month 20 does not exist day-first
        render_timeline(case_dir, "11/20/2026 03:00", "11/20/2026 03:01", date_order="DMY")
    video = render_timeline(case_dir, "11/20/2026 03:00:00", "11/20/2026 03:00:02",
                            date_order="MDY")
    assert (video.start, video.end) == (datetime(2026, 11, 20, 3), datetime(2026, 11, 20, 3, 0, 2))


def test_cancel_mid_render_keeps_nothing(case_dir: Path) -> None:
    token = CancelToken()
    seen: list[int] = []

    def cancel_once_started(event: RenderProgress) -> None:
        seen.append(event.frames_done)
        token.cancel()

    video = render_timeline(case_dir, "2026-11-20T12:00:00", "2026-11-20T16:00:00",
                            on_progress=cancel_once_started, cancel=token)
    assert video.outcome == "cancelled" and video.path is None and video.blake3 is None
    assert seen and 0 < seen[0] < 4 * 3600  # it was stopped mid-render
    assert not list(case_dir.rglob("*.partial"))
    assert not list((case_dir / "derived" / "timeline").glob("*.mp4"))
    entry = json.loads((case_dir / "_evidence/custody.jsonl").read_text().splitlines()[-1])
    assert entry["kind"] == "timeline" and entry["outcome"] == "cancelled"


def test_bad_windows_are_typed(case_dir: Path) -> None:
    for start, end in (("2026-11-20T14:00", "2026-11-20T13:00"), ("noon", "2026-11-20T13:00"),
                       ("2026-11-20T14:00+01:00", "2026-11-20T15:00+01:00")):
        with pytest.raises(ConversionError) as caught:
            render_timeline(case_dir, start, end)
        assert caught.value.type == "ValidationError"
    assert not (case_dir / "derived").exists()

"""The Footage tab's derived video: "Make playable copies" and "Timeline video" run on the
worker thread, show a result table and a preview picture; Cancel stops; bad input is a
message, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.samples import make_sample_evidence
from workbench.ui import FootagePanel

DEMO = CaseData(occurrence="2026-004512", video_start="2026-11-20T14:15",
                video_end="2026-11-20T14:17", dvr_offset="+00:04:30")


@pytest.fixture
def case_folder(tmp_path: Path) -> Path:
    return make_sample_evidence(tmp_path / "case")


def test_playable_copies_and_timeline_from_the_footage_tab(case_folder: Path) -> None:
    footage = FootagePanel(case=DEMO)
    panel = footage.derived
    assert panel in footage.children and repr(panel) == "<DerivedVideoPanel: idle>"
    assert (panel.start_time.value, panel.end_time.value) == (
        "2026-11-20T14:10:30", "2026-11-20T14:12:30")  # the case window in real time
    footage.folder.value = str(case_folder)
    panel.join.value = True
    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=300)
    assert report is panel.report and report is not None
    assert "ch01_joined_20261120_140000.mkv" in panel.table.value
    assert "lossless_verified" in panel.table.value and "#fde0dc" in panel.table.value
    assert bytes(panel.preview.value).startswith(b"\xff\xd8\xff")
    assert "could not be copied losslessly" in panel.message.value  # the damaged MP4
    panel.timeline_button.click()
    video = panel.job.result(timeout=300)
    assert video is panel.video and video is not None and video.path is not None
    assert "Timeline segments" in panel.table.value and "gap" not in panel.table.value
    assert bytes(panel.preview.value).startswith(b"\xff\xd8\xff")
    assert "not evidence" in panel.message.value
    meter = panel.progress.children[0].children[1]  # the timeline's bar: frames done of all
    assert (meter.value, meter.max) == (video.frames, video.frames) and video.frames == 120
    assert not panel.run_button.disabled and panel.cancel_button.disabled


def test_bad_input_is_a_message(case_folder: Path) -> None:
    panel = FootagePanel().derived
    panel.run_button.click()
    assert panel.job is None and "case folder" in panel.message.value
    panel.folder.value = str(case_folder)
    panel.start_time.value, panel.end_time.value = "noon", "later"
    panel.timeline_button.click()
    assert panel.job is not None and panel.job.result(timeout=60) is None
    assert "Invalid start" in panel.message.value


def test_cancel_stops_the_copies(tmp_path: Path, case_folder: Path) -> None:
    clip = (case_folder / "CAM01" / "ch01_20261120_140000_143000.dav").read_bytes()
    many = tmp_path / "many"
    many.mkdir()
    for number in range(60):
        (many / f"ch05_20261120_{number:06d}.dav").write_bytes(clip)
    panel = FootagePanel().derived
    panel.folder.value = str(many)
    panel.run_button.click()
    time.sleep(1.0)
    panel.cancel_button.click()
    report = panel.job.result(timeout=300) if panel.job else None
    assert report is not None and report.outcome == "cancelled"
    assert not list(many.rglob("*.partial"))

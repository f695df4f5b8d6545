"""FootagePanel and the footage parts of the app: a real analysis on the worker thread,
Cancel, failures as messages, escaped names, the Copy tab's offer, the Case form's offset."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.samples import make_sample_evidence
from workbench.templates.types import Template
from workbench.ui import CaseForm, FootagePanel, Workbench

DEMO = CaseData(occurrence="2026-004512", video_start="2026-11-20T14:00",
                video_end="2026-11-20T15:30", dvr_offset="+00:04:30")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")


def test_an_analysis_shows_coverage_timeline_problems_and_keyframes(sample: Path) -> None:
    panel = FootagePanel(case=DEMO)
    assert repr(panel) == "<FootagePanel: idle>"
    panel.folder.value = str(sample)
    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=120)
    assert report is panel.report and report is not None and panel.coverage is not None
    assert "ch02: 4 clips; 77.8% of the window recorded" in panel.summary.value
    assert "ch01" in panel.coverage_table.value and "#fde0dc" in panel.coverage_table.value
    assert bytes(panel.timeline.value).startswith(b"\x89PNG")
    assert bytes(panel.contact_sheet.value).startswith(b"\xff\xd8\xff")  # JPEG
    assert "Problems (1)" in panel.problems_table.value
    assert "Truncated" in panel.problems_table.value
    assert "ch01_20261120_140000_143000.dav" in panel.clips_table.value
    assert "100.0 %" in panel.coverage_table.value and "55.6 %" in panel.coverage_table.value
    assert "14:20:00–14:40:00" in panel.coverage_table.value
    assert "13:55:30" in panel.clips_table.value  # real start of the first clip
    assert "1 with problems" in panel.message.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled
    assert repr(panel) == "<FootagePanel: 8 files, 2 cameras, 1 problems>"
    assert panel.progress.children, "the tqdm bar container is in the panel"


def test_cancel_stops_the_analysis(tmp_path: Path, sample: Path) -> None:
    clip = (sample / "CAM02" / "NVR_ch2_main_20261120140000_20261120142000.mp4").read_bytes()
    many = tmp_path / "many"
    many.mkdir()
    for number in range(400):
        (many / f"ch05_20261120_{number:06d}.mp4").write_bytes(clip)
    panel = FootagePanel()
    panel.folder.value = str(many)
    panel.run_button.click()
    panel.cancel_button.click()
    report = panel.job.result(timeout=120) if panel.job else None
    assert report is not None and report.outcome == "cancelled"
    assert "cancelled" in panel.message.value
    assert {row.problem.type for row in report.rows if row.problem} == {"Cancelled"}


def test_failures_are_messages_not_tracebacks(tmp_path: Path) -> None:
    panel = FootagePanel()
    panel.run_button.click()
    assert panel.job is None and "Give the folder" in panel.message.value
    panel.folder.value = str(tmp_path / "nowhere")
    panel.run_button.click()
    assert panel.job is not None and panel.job.result(timeout=60) is None
    assert "does not exist" in panel.message.value and "Traceback" not in panel.message.value
    assert not panel.run_button.disabled


def test_names_are_shown_not_run(tmp_path: Path, sample: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "<img src=x onerror=alert(1)>.mp4").write_bytes(b"not a video")
    panel = FootagePanel()
    panel.folder.value = str(folder)
    panel.run_button.click()
    assert panel.job is not None and panel.job.result(timeout=60) is not None
    assert "<img src=x" not in panel.clips_table.value + panel.problems_table.value
    assert "&lt;img src=x onerror=alert(1)&gt;.mp4" in panel.clips_table.value


def test_the_copy_tab_offers_the_footage_of_the_verified_case_folder(
        template: Template, sample: Path, destination: Path) -> None:
    app = Workbench(case=DEMO)
    assert app.footage_button.disabled
    app.template_editor.value = template
    app.copy_panel.sources.value = str(sample)
    app.copy_panel.destination.value = str(destination)
    app.copy_panel.run_button.click()
    assert app.copy_panel.job is not None
    copied = app.copy_panel.job.result(timeout=120)
    assert copied is not None and copied.outcome == "completed"
    assert not app.footage_button.disabled
    app.footage_button.click()
    assert app.tabs.selected_index == 3 and app.tabs.titles[3] == "4 · Footage"
    assert app.footage_panel.folder.value == str(copied.plan.destination)
    assert app.footage_panel.job is not None
    media = app.footage_panel.job.result(timeout=120)
    assert media is not None and media.root == copied.plan.destination
    assert media.case == DEMO and (copied.plan.destination / "_evidence" / "media").is_dir()
    app.close()


def test_the_case_form_computes_the_offset_from_one_observed_pair() -> None:
    form = CaseForm(value=DEMO)
    form.offset_button.click()
    assert "Give what the DVR showed" in form.message.value
    form.dvr_showed.value = datetime(2026, 11, 20, 16, 4, 30)
    form.real_time.value = datetime(2026, 11, 20, 16, 0, 0)
    form.offset_button.click()
    assert form.inputs["dvr_offset"].value == "+00:04:30"
    assert form.value is not None and form.value.real_start == datetime(2026, 11, 20, 13, 55, 30)
    form.dvr_showed.value = datetime(2026, 11, 20, 15, 58)
    form.offset_button.click()
    assert form.inputs["dvr_offset"].value == "-00:02:00"


def test_the_analysts_frame_rates_reach_the_analysis(sample: Path) -> None:
    panel = FootagePanel(case=DEMO)
    panel.folder.value = str(sample)
    panel.rates.value = "ch01 = 12\n\n"
    panel.run_button.click()
    report = panel.job.result(timeout=120) if panel.job else None
    assert report is not None and report.rates["ch01"].fraction == 12
    ch01 = [row for row in report.rows if row.camera == "ch01"]
    assert ch01 and all(row.timing and row.timing.rate_source == "analyst" for row in ch01)
    assert "12 (set by the analyst" in panel.clips_table.value
    assert all(row.timing is None or row.timing.rate_source != "analyst"
               for row in report.rows if row.camera == "ch02")


@pytest.mark.parametrize(("text", "said"), [
    ("ch01 12", "needs FILE_OR_CAMERA=FPS"),
    ("ch01=fast", "is not a frame rate"),
    ("ch09=12", "ch09"),
])
def test_bad_frame_rates_are_messages(sample: Path, text: str, said: str) -> None:
    panel = FootagePanel()
    panel.folder.value = str(sample)
    panel.rates.value = text
    panel.run_button.click()
    if panel.job is not None:
        assert panel.job.result(timeout=120) is None
    assert said in panel.message.value and "Traceback" not in panel.message.value
    assert panel.report is None and not panel.run_button.disabled

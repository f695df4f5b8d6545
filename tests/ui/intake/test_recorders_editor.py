"""The Case form's recorders editor: recorders, observations, drift, bad input as messages."""

from __future__ import annotations

from datetime import datetime

from workbench.cases import CaseData, Recorder
from workbench.ui import CaseForm


def test_recorders_are_added_observed_and_removed(workbench_home: object) -> None:
    form = CaseForm()
    form.inputs["occurrence"].value = "2026-1"
    editor = form.recorders
    editor.inputs["name"].value = "Shop NVR"
    editor.inputs["make"].value = "Hikvision"
    editor.inputs["time_zone"].value = "Europe/London"
    editor.observes_dst.value = False
    editor.showed.value = datetime(2026, 11, 1, 0, 0)
    editor.real_time.value = datetime(2026, 11, 1, 0, 0)
    editor.add_button.click()
    editor.showed.value = datetime(2026, 12, 1, 0, 1)
    editor.real_time.value = datetime(2026, 12, 1, 0, 0)
    editor.add_button.click()
    assert form.value is not None
    (recorder,) = form.value.recorders
    assert (recorder.make, recorder.observes_dst, len(recorder.observations)) == (
        "Hikvision", False, 2)
    assert "drifting" in editor.table.value
    editor.remove_button.click()
    assert form.value.recorders == []


def test_a_bad_zone_is_a_message_not_a_traceback(workbench_home: object) -> None:
    form = CaseForm()
    form.recorders.inputs["name"].value = "NVR"
    form.recorders.inputs["time_zone"].value = "Mars/Olympus"
    form.recorders.add_button.click()
    assert "time zone" in form.recorders.message.value
    assert form.recorders.value == []


def test_a_case_with_recorders_fills_the_editor(workbench_home: object) -> None:
    case = CaseData(occurrence="x", time_zone="Europe/London",
                    recorders=[Recorder(name="A"), Recorder(name="B", serial="S1")])
    form = CaseForm(value=case)
    assert [r.name for r in form.recorders.value] == ["A", "B"]
    assert form.value is not None and form.value.time_zone == "Europe/London"
    assert "S1" in form.recorders.table.value

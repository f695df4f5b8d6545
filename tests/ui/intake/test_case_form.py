"""CaseForm: value round-trip, inline errors, DVR window, preference defaults."""

from __future__ import annotations

from datetime import datetime

from workbench.cases import CaseData
from workbench.preferences.commands import save_preferences
from workbench.preferences.types import Preferences
from workbench.ui import CaseForm


def test_value_round_trips_through_the_fields(case: CaseData) -> None:
    form = CaseForm()
    form.value = case
    assert form.inputs["occurrence"].value == "2026-004512"
    assert form.inputs["video_start"].value == datetime(2026, 11, 20, 14, 0)
    assert form.value == case
    assert repr(form) == "<CaseForm: case 2026-004512>"


def test_typing_updates_value() -> None:
    form = CaseForm()
    form.inputs["occurrence"].value = "  2026-1 "
    form.inputs["business"].value = "Café"
    assert form.value is not None
    assert (form.value.occurrence, form.value.business) == ("2026-1", "Café")


def test_missing_occurrence_shows_error_beside_the_field() -> None:
    form = CaseForm()
    assert form.value is None
    assert repr(form) == "<CaseForm: invalid>"
    assert "required" in form.errors["occurrence"].value
    assert form.errors["business"].value == ""


def test_window_out_of_order_is_reported_and_clears_when_fixed(case: CaseData) -> None:
    form = CaseForm(value=case)
    form.inputs["video_end"].value = datetime(2026, 11, 20, 13, 0)
    assert form.value is None
    shown = form.errors["video_end"].value + form.message.value
    assert "before video_start" in shown
    form.inputs["video_end"].value = datetime(2026, 11, 20, 16, 0)
    assert form.value is not None
    assert form.message.value == ""


def test_bad_offset_is_reported_on_its_field(case: CaseData) -> None:
    form = CaseForm(value=case)
    form.inputs["dvr_offset"].value = "sometime"
    assert form.value is None
    assert "clock offset" in form.errors["dvr_offset"].value


def test_dvr_offset_shows_the_real_window(case: CaseData) -> None:
    form = CaseForm(value=case)
    form.inputs["dvr_offset"].value = "DVR is 1h30m ahead"
    assert form.value is not None and form.value.real_start == datetime(2026, 11, 20, 12, 30)
    assert "+01:30:00" in form.real_window.value
    assert "2026-11-20 12:30:00 to 2026-11-20 14:00:00" in form.real_window.value


def test_technician_and_badge_default_from_preferences() -> None:
    save_preferences(Preferences(technician="A. Analyst", badge_number="B-77"))
    form = CaseForm()
    assert form.inputs["technician"].value == "A. Analyst"
    assert form.inputs["badge_number"].value == "B-77"


def test_setting_none_clears_the_form(case: CaseData) -> None:
    form = CaseForm(value=case)
    form.value = None
    assert form.inputs["occurrence"].value == "" and form.inputs["video_start"].value is None
    assert form.value is None


def test_exhibit_facts_are_a_collapsed_group_that_fills_the_case() -> None:
    form = CaseForm()
    assert form.exhibit.selected_index is None, "collapsed until opened"
    form.inputs["occurrence"].value = "2026-1"
    form.inputs["exhibit_number"].value = "EX-7"
    form.inputs["seal_numbers"].value = "S-1, S-2"
    form.inputs["received_at"].value = datetime(2026, 11, 21, 9, 15)
    assert form.value is not None
    assert form.value.exhibit_number == "EX-7" and form.value.seal_numbers == ["S-1", "S-2"]
    assert form.value.received_at == datetime(2026, 11, 21, 9, 15)
    form.value = form.value.model_copy(update={"seal_numbers": ["A", "B"]})
    assert form.inputs["seal_numbers"].value == "A; B"


def test_the_intake_time_is_set_when_the_case_is_entered_and_editable() -> None:
    form = CaseForm()
    assert form.inputs["intake_time"].value is None  # opening the app is no intake
    before = datetime.now().astimezone().replace(microsecond=0)
    form.inputs["occurrence"].value = "2026-004512"
    assert form.value is not None and form.value.intake_time is not None
    assert before <= form.value.intake_time <= datetime.now().astimezone()
    assert form.inputs["intake_time"].value == form.value.intake_time
    entered = form.value.intake_time
    form.inputs["business"].value = "Corner Store"  # editing other fields never moves it
    assert form.value.intake_time == entered
    corrected = datetime.fromisoformat("2026-11-21T09:30:00+00:00")
    form.inputs["intake_time"].value = corrected
    assert form.value.intake_time == corrected
    recorded = CaseData.from_record({"occurrence": "2025-000001"})
    form.value = recorded  # a case recorded before the field existed keeps None
    assert form.value is not None and form.value.intake_time is None
    form.value = None
    assert form.inputs["intake_time"].value is None

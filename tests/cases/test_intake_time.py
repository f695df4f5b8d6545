"""The intake time: set when a case is created, kept when it is stored and read back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from workbench.cases import CaseData
from workbench.templates import Template, TemplateLevel, resolve_path


def test_a_new_case_is_taken_in_now_with_its_utc_offset() -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    case = CaseData(occurrence="1")
    assert case.intake_time is not None and case.intake_time.tzinfo is not None
    assert before <= case.intake_time <= datetime.now(timezone.utc) + timedelta(seconds=1)
    assert case.intake_time.microsecond == 0


def test_the_intake_time_survives_a_round_trip_and_names_folders() -> None:
    case = CaseData(occurrence="1", intake_time="2026-11-06T09:15:30.5+01:00")
    again = CaseData.model_validate(case.model_dump(mode="json"))
    assert again == case and again.intake_time == datetime(
        2026, 11, 6, 9, 15, 30, tzinfo=timezone(timedelta(hours=1)))
    template = Template(id="t", name="T", levels=[
        TemplateLevel(pattern="FILE_{occurrence}_{intake_time:%Y}"),
        TemplateLevel(pattern="{intake_time:%Y-%m-%d_%H%M%S}"),
    ])
    assert str(resolve_path(template, case).relative) == "FILE_1_2026/2026-11-06_091530"


def test_a_case_recorded_before_the_field_existed_has_no_intake_time() -> None:
    assert CaseData.from_record({"occurrence": "1"}).intake_time is None
    stored = CaseData(occurrence="1").model_dump(mode="json")
    assert CaseData.from_record(stored).intake_time is not None

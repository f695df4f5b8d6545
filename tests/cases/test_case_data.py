"""CaseData: cleaning, validation as typed errors, ISO times, DVR offsets and real times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from workbench.cases import TEMPLATE_FIELDS, CaseData, format_offset
from workbench.errors import CaseError, ValidationError


def test_text_is_nfc_normalised_and_stripped() -> None:
    case = CaseData(occurrence="  2026-1 ", business="Cafe\u0301 ", location="   ")
    assert case.occurrence == "2026-1"
    assert case.business == "Café" and len(case.business) == 4
    assert case.location is None


def test_occurrence_is_required() -> None:
    for occurrence in ("", "   "):
        with pytest.raises(CaseError) as info:
            CaseData(occurrence=occurrence)
        assert isinstance(info.value.payload, ValidationError)
        assert info.value.payload.field == "occurrence"


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(CaseError) as info:
        CaseData.model_validate({"occurrence": "1", "colour": "red"})
    assert info.value.payload.field == "colour"  # type: ignore[union-attr]


def test_iso_strings_and_datetimes() -> None:
    from_text = CaseData(occurrence="1", video_start="2026-11-20T14:00:05.5",
                         video_end="2026-11-20 15:30")
    from_objects = CaseData(occurrence="1", video_start=datetime(2026, 11, 20, 14, 0, 5),
                            video_end=datetime(2026, 11, 20, 15, 30))
    assert from_text == from_objects
    assert from_text.video_start == datetime(2026, 11, 20, 14, 0, 5)  # whole seconds


def test_end_before_start_is_a_typed_case_error() -> None:
    with pytest.raises(CaseError) as info:
        CaseData(occurrence="1", video_start="2026-11-20T15:00", video_end="2026-11-20T14:00")
    assert info.value.payload.field == "video_end"  # type: ignore[union-attr]
    assert "before video_start" in str(info.value)


def test_mixed_time_zones_are_rejected() -> None:
    with pytest.raises(CaseError):
        CaseData(occurrence="1", video_start="2026-11-20T14:00Z", video_end="2026-11-20T15:00")
    aware = CaseData(occurrence="1", video_start="2026-11-20T14:00Z",
                     video_end="2026-11-20T15:00+00:00")
    assert aware.video_start is not None and aware.video_start.tzinfo == timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+01:30:00", timedelta(hours=1, minutes=30)),
        ("-0:05", -timedelta(minutes=5)),
        ("DVR is 1h30m ahead", timedelta(hours=1, minutes=30)),
        ("2m behind", -timedelta(minutes=2)),
        ("dvr clock is 45 seconds slow", -timedelta(seconds=45)),
        ("3 hours fast", timedelta(hours=3)),
        (90, timedelta(seconds=90)),
        (timedelta(minutes=1), timedelta(minutes=1)),
        ("", None),
    ],
)
def test_dvr_offset_parsing(text: str | int | timedelta, expected: timedelta | None) -> None:
    assert CaseData(occurrence="1", dvr_offset=text).dvr_offset == expected


@pytest.mark.parametrize("text", ["soon", "ahead", "1:99", "99999999999:00", 10**20])
def test_bad_dvr_offsets_are_typed(text: str | int) -> None:
    with pytest.raises(CaseError) as info:
        CaseData(occurrence="1", dvr_offset=text)
    assert info.value.payload.field == "dvr_offset"  # type: ignore[union-attr]


def test_real_start_corrects_the_dvr_clock() -> None:
    case = CaseData(occurrence="1", video_start="2026-11-20T14:00", video_end="2026-11-20T15:00",
                    dvr_offset="DVR is 1h30m ahead")
    assert case.real_start == datetime(2026, 11, 20, 12, 30)
    assert case.real_end == datetime(2026, 11, 20, 13, 30)
    assert CaseData(occurrence="1", video_start="2026-11-20T14:00").real_start == datetime(
        2026, 11, 20, 14, 0
    )
    assert CaseData(occurrence="1").real_start is None


def test_offset_that_leaves_the_calendar_is_typed() -> None:
    with pytest.raises(CaseError) as info:
        CaseData(occurrence="1", video_start="0001-01-01T00:30", dvr_offset="+01:00")
    assert info.value.payload.field == "dvr_offset"  # type: ignore[union-attr]


@pytest.mark.parametrize("offset", ["+99999999:00:00", "-1753200:00:00"])
def test_an_offset_of_centuries_is_typed_before_any_clock_uses_it(offset: str) -> None:
    with pytest.raises(CaseError) as caught:
        CaseData(occurrence="1", dvr_offset=offset)
    assert "200 years" in str(caught.value)
    assert CaseData(occurrence="1", dvr_offset="-500000:00:00").clock_recorders()


def test_template_values_and_offset_form() -> None:
    case = CaseData(occurrence="1", dvr_offset="-0:05")
    values = case.template_values()
    assert set(values) == TEMPLATE_FIELDS
    assert values["dvr_offset"] == "-00:05:00"
    assert format_offset(timedelta(hours=26, seconds=1)) == "+26:00:01"


def test_json_round_trip() -> None:
    case = CaseData(occurrence="1", video_start="2026-11-20T14:00", dvr_offset="+00:02:00")
    assert CaseData.model_validate_json(case.model_dump_json()) == case
    assert '"dvr_offset":"+00:02:00"' in case.model_dump_json()

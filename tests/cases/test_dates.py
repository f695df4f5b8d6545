"""One parser for dates as analysts type them, shared by the case form and the timeline."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.cases.dates import DATE_ORDER_CONTEXT, DateOrder, parse_typed
from workbench.conversion import render_timeline
from workbench.errors import CaseError, ConversionError, ValidationError


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("03/04/2026 14:00", "DMY", datetime(2026, 4, 3, 14)),
    ("03/04/2026 14:00", "MDY", datetime(2026, 3, 4, 14)),
    (" 2026-11-20T14:04:30 ", None, datetime(2026, 11, 20, 14, 4, 30)),
    ("2026-11-20 14:04", "DMY", datetime(2026, 11, 20, 14, 4)),
])
def test_slashed_dates_follow_the_order_and_iso_reads_always(
        text: str, order: DateOrder | None, expected: datetime) -> None:
    assert parse_typed(text, order) == expected


@pytest.mark.parametrize(("text", "order", "named"), [
    ("03/04/2026", None, "set the date order"),
    ("11/20/2026 03:00", "DMY", "DD/MM/YYYY HH:MM"),
    ("yesterday", "MDY", "MM/DD/YYYY HH:MM"),
    ("yesterday", None, "YYYY-MM-DD HH:MM (ISO 8601)"),
])
def test_a_refusal_names_the_forms_expected(
        text: str, order: DateOrder | None, named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        parse_typed(text, order)


def test_each_room_keeps_its_own_error_type(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as case_error:
        CaseData.model_validate({"occurrence": "1", "video_start": "yesterday"},
                                context={DATE_ORDER_CONTEXT: "DMY"})
    assert "DD/MM/YYYY HH:MM" in str(case_error.value)
    with pytest.raises(ConversionError) as conversion_error:
        render_timeline(tmp_path, "yesterday", "2026-11-20T14:00", date_order="DMY")
    payload = conversion_error.value.payload
    assert isinstance(payload, ValidationError) and payload.field == "start"
    assert "DD/MM/YYYY HH:MM" in (payload.expected or "")

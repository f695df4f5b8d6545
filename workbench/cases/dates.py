"""Dates as analysts type them: ISO 8601, or `DD/MM/YYYY HH:MM` / `MM/DD/YYYY HH:MM` when the
date order is known. A slashed date is never read without an order: `03/04/2026` is the 3rd of
April in one country and the 4th of March in another."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationInfo, ValidatorFunctionWrapHandler

from workbench.errors import ValidationError, WorkbenchError

DateOrder = Literal["DMY", "MDY"]
"""How a slashed date reads: day first (`DD/MM/YYYY`) or month first (`MM/DD/YYYY`)."""
DATE_FORMATS: dict[DateOrder, str] = {"DMY": "DD/MM/YYYY HH:MM", "MDY": "MM/DD/YYYY HH:MM"}
"""The form each date order reads (the one owner of the orders)."""
ISO_FORM = "YYYY-MM-DD HH:MM (ISO 8601)"
"""The form read whatever the order."""
DATE_ORDER_CONTEXT = "date_order"
"""The validation-context key naming the date order (`model_validate(..., context=...)`)."""

_SLASHED = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def expected_forms(order: DateOrder | None) -> str:
    """The forms a date may take under `order`, for an error message."""
    if order is None:
        return (f"{ISO_FORM}; for {' or '.join(DATE_FORMATS.values())} "
                "set the date order (DMY or MDY)")
    return f"{ISO_FORM} or {DATE_FORMATS[order]}"


def parse_slashed(text: str, order: DateOrder | None) -> datetime | None:
    """The datetime a slashed date names under `order`; None when `text` is not slashed.
    ValueError for a slashed date without an order, or one that is not a real date."""
    match = _SLASHED.match(text.strip())
    if match is None:
        return None
    if order is None:
        raise ValueError(f"{text!r} could be day/month or month/day; expected "
                         f"{expected_forms(None)}")
    first, second, year, hour, minute, second_of = match.groups()
    day, month = (first, second) if order == "DMY" else (second, first)
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second_of or 0))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date in {DATE_FORMATS[order]} ({exc})") from None


def parse_typed(text: str, order: DateOrder | None) -> datetime:
    """A date and time as an analyst types it: a slashed date read in `order`, else ISO 8601.
    ValueError naming the forms expected when it is neither."""
    text = text.strip()
    slashed = parse_slashed(text, order)  # its refusals name the form already
    if slashed is not None:
        return slashed
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time; expected "
                         f"{expected_forms(order)}") from None


def read_moment(field: str, value: datetime | str, order: DateOrder | None,
                error: type[WorkbenchError]) -> datetime:
    """`value` (a datetime, or text read by `parse_typed`) for the argument `field` of a
    command; `error` (the command's room's error) with a `ValidationError` when it is no date
    and time."""
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    try:
        return parse_typed(text, order)
    except ValueError as exc:
        raise error(ValidationError(field=field, message=str(exc),
                                    expected=expected_forms(order), actual=text[:80])) from None


def typed_datetime(value: Any, handler: ValidatorFunctionWrapHandler,
                   info: ValidationInfo) -> Any:
    """A pydantic wrap validator: a typed date read by `parse_typed` in the context's date
    order, anything else as pydantic reads datetimes; a refusal names the forms expected."""
    order = (info.context or {}).get(DATE_ORDER_CONTEXT)
    if isinstance(value, str):
        value = parse_typed(value, order)
    try:
        return handler(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time; expected "
                         f"{expected_forms(order)}") from None

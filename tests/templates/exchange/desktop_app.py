"""A reference of how the desktop app names folders, written from its documented behaviour.

It works the way the app does, on strings: pick the level's pattern by which of business and
location are filled (`conditionals`), replace every `{token}` with its value (or nothing),
fall back (`UNKNOWN` by default) only when the result is blank, skip a level left empty.
Military dates are `5NOV26_1400` (day unpadded, English month in capitals), ISO dates
`2026-11-05_1400`; `{year}` and `{current_datetime}` are the intake time. The tests compare
the workbench's resolution of an imported template with this, case by case.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.cases import CaseData
from workbench.templates import safe_name

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def value(token: str, case: CaseData, date_format: str | None) -> str:
    intake = case.intake_time
    assert intake is not None
    if token == "current_datetime":
        return intake.strftime("%Y-%m-%d_%H%M%S")
    if token == "current_date":
        return intake.strftime("%Y-%m-%d")
    if token == "year":
        return str(intake.year)
    dates = {"video_start_datetime": case.video_start, "video_end_datetime": case.video_end}
    if token in dates:
        moment = dates[token]
        if moment is None:
            return ""
        if date_format == "military":
            return f"{moment.day}{MONTHS[moment.month - 1]}{moment:%y}_{moment:%H%M}"
        if date_format == "iso":
            return moment.strftime("%Y-%m-%d_%H%M")
        return str(moment)
    texts = {"occurrence_number": case.occurrence, "business_name": case.business,
             "location_address": case.location, "technician_name": case.technician,
             "badge_number": case.badge_number}
    return texts.get(token) or ""


def fill(pattern: str, case: CaseData, date_format: str | None) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: value(match.group(1), case, date_format), pattern)


def component(level: dict[str, Any], case: CaseData) -> str:
    pattern = level.get("pattern", "")
    conditionals = level.get("conditionals")
    if conditionals is not None:
        if case.business and not case.location:
            pattern = conditionals.get("business_only", pattern)
        elif case.location and not case.business:
            pattern = conditionals.get("location_only", pattern)
        elif not case.business and not case.location:
            pattern = conditionals.get("neither", pattern)
    name = fill(pattern, case, level.get("dateFormat"))
    if not name.strip():
        name = fill(level.get("fallback", "UNKNOWN"), case, level.get("dateFormat"))
    return name


def folder_names(template: dict[str, Any], case: CaseData) -> list[str]:
    """The app's folder names for `case`, sanitised the way the workbench sanitises names."""
    names = [component(level, case) for level in template["structure"]["levels"]]
    return [safe_name(name) for name in names if name]

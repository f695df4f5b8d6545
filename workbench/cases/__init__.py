"""Case data: the facts that name a case's folders, its recorders and their clocks."""

from workbench.cases.dates import DATE_FORMATS, DATE_ORDER_CONTEXT, DateOrder
from workbench.cases.recorders import (
    DEFAULT_RECORDER,
    AmbiguousTime,
    ClockObservation,
    ClockProblem,
    NonexistentTime,
    RealTime,
    Recorder,
)
from workbench.cases.types import (
    DATETIME_FIELDS,
    TEMPLATE_FIELDS,
    CaseData,
    format_offset,
    intake_now,
    parse_offset,
)

__all__ = [
    "DATETIME_FIELDS",
    "DATE_FORMATS",
    "DATE_ORDER_CONTEXT",
    "DEFAULT_RECORDER",
    "TEMPLATE_FIELDS",
    "AmbiguousTime",
    "CaseData",
    "ClockObservation",
    "ClockProblem",
    "DateOrder",
    "NonexistentTime",
    "RealTime",
    "Recorder",
    "format_offset",
    "intake_now",
    "parse_offset",
]

"""Case data: the facts that name a case's folders."""

from workbench.cases.types import (
    DATETIME_FIELDS,
    TEMPLATE_FIELDS,
    CaseData,
    format_offset,
    intake_now,
)

__all__ = ["DATETIME_FIELDS", "TEMPLATE_FIELDS", "CaseData", "format_offset", "intake_now"]

"""The printable report: a document model, and its HTML and PDF renderings; every case
folder's `_evidence/report.html|pdf` kept current after each copy, audit, footage analysis
and export (subscribed to `events.CASE_RECORD_CHANGED` on import)."""

from workbench import events
from workbench.reports.commands import (
    REPORT_HTML,
    REPORT_PDF,
    keep_report_current,
    report_html,
    write_case_report,
)

events.subscribe(events.CASE_RECORD_CHANGED, keep_report_current)

__all__ = ["REPORT_HTML", "REPORT_PDF", "report_html", "write_case_report"]

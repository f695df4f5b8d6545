"""The printable report: a document model, and its HTML and PDF renderings."""

from workbench.reports.commands import report_html, write_case_report

__all__ = ["report_html", "write_case_report"]

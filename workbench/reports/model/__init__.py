"""The report's content model (a sub-room below `reports`): the document, its sections and
how paper shows them."""

from workbench.reports.model.types import (
    PRINTED_ROWS,
    Fact,
    Paper,
    ReportDocument,
    ReportImage,
    Section,
    Table,
)

__all__ = ["PRINTED_ROWS", "Fact", "Paper", "ReportDocument", "ReportImage", "Section", "Table"]

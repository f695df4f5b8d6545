"""What a printable report is made of, independent of its layout: a `ReportDocument` of
sections of facts, images, tables and pre-formatted text, and how paper shows a long table."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, SkipValidation

from workbench.errors import ReportError
from workbench.model import Contract
from workbench.version import __version__

Paper = Literal["A4", "Letter"]
"""Page sizes a printed report is laid out for."""
PRINTED_ROWS = 2_000
"""The most rows of a table a printed report lists (~70 pages); report.html lists them all."""


class Fact(Contract):
    """One labelled value."""

    error_class: ClassVar = ReportError

    label: str
    """What the value is."""
    value: str
    """The value as text."""


class Table(Contract):
    """A table whose failed rows are highlighted."""

    error_class: ClassVar = ReportError

    columns: list[str]
    """Column headings."""
    rows: Annotated[Sequence[Sequence[str]], SkipValidation]
    """Cell texts, one sequence per row (kept as given: `LazyRows` makes each as it is laid out)."""
    failed: Annotated[Sequence[bool], SkipValidation] = Field(default_factory=list)
    """Per row: highlight it as a failure."""
    mono: list[int] = Field(default_factory=list)
    """Indexes of columns set in a monospace font (paths, digests)."""
    widths: list[int] = Field(default_factory=list)
    """Relative column widths (empty: equal)."""


class ReportImage(Contract):
    """A picture in the report (the coverage timeline, a contact sheet): PNG or JPEG bytes."""

    error_class: ClassVar = ReportError

    data: bytes
    """The image file's bytes."""
    mime: Literal["image/png", "image/jpeg"]
    """Its type."""
    width: int
    """Its width in pixels."""
    height: int
    """Its height in pixels."""
    caption: str
    """What it shows (also its alternative text)."""

    @classmethod
    def of(cls, data: bytes, caption: str) -> ReportImage:
        """An image from PNG or JPEG bytes, its type and size read from its header."""
        from PIL import Image  # loads only when a report holds an image

        with Image.open(io.BytesIO(data)) as image:
            mime = Image.MIME[image.format or ""]
            width, height = image.size
        return cls(data=data, mime=mime, width=width, height=height, caption=caption)


class Section(Contract):
    """A titled part of the report: facts, images, then a table, then pre-formatted text."""

    error_class: ClassVar = ReportError

    title: str
    """Heading."""
    facts: list[Fact] = Field(default_factory=list)
    """Labelled values."""
    images: list[ReportImage] = Field(default_factory=list)
    """Pictures, each with its caption."""
    table: Table | None = None
    """A table, if the section has one."""
    preformatted: str | None = None
    """Monospace text kept as is (the folder tree)."""
    note: str | None = None
    """A sentence shown under the heading."""
    advisories: list[str] = Field(default_factory=list)
    """Advice shown prominently under the heading (a caution, not a failure)."""
    in_print: Section | None = None
    """What paper shows instead of a table of over `PRINTED_ROWS` rows (else its first rows)."""


class ReportDocument(Contract):
    """A whole report, ready to lay out."""

    error_class: ClassVar = ReportError

    title: str
    """Report title."""
    subtitle: str
    """Second heading line (occurrence, business)."""
    generated: datetime
    """When the report was made (UTC)."""
    tool_version: str = __version__
    """Version of Case Workbench that made the report."""
    fingerprint: str | None = None
    """SHA-256 of the fingerprint manifest (None when there is no manifest)."""
    fingerprint_of: str | None = None
    """Which file the fingerprint is the SHA-256 of, e.g. `_evidence/manifest.blake3`."""
    sections: list[Section]
    """The body, in order."""

    def too_long_to_print(self) -> bool:
        """Whether a table has over `PRINTED_ROWS` rows (paper then shows less of it)."""
        return any(s.table is not None and len(s.table.rows) > PRINTED_ROWS
                   for s in self.sections)

    def printed(self) -> ReportDocument:
        """The report as paper shows it (`_printed` of each section)."""
        return self.model_copy(update={"sections": [_printed(s) for s in self.sections]})


def _printed(section: Section) -> Section:
    """`section` as paper shows it (rows in a list): a table of over `PRINTED_ROWS` rows gives
    way to its `in_print`, else to its first rows and a note saying where the rest are."""
    table = section.table
    if table is None:
        return section
    if len(table.rows) > PRINTED_ROWS and section.in_print is not None:
        return section.in_print
    rest = len(table.rows) - PRINTED_ROWS
    note = f"{rest:,} more rows of this table are in report.html." if rest > 0 else ""
    return section.model_copy(update={
        "note": " ".join(filter(None, (section.note, note))) or None, "in_print": None,
        "table": table.model_copy(update={"rows": list(table.rows[:PRINTED_ROWS]),
                                          "failed": list(table.failed[:PRINTED_ROWS])}),
    })

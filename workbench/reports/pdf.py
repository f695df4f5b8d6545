"""The printable case report as a PDF (fpdf2), laid out for A4 or Letter.

Text is set in DejaVu Sans / DejaVu Sans Mono, embedded from the system's fonts (Debian's
`fonts-dejavu-core`), so any Unicode name prints as it is. Where those fonts are missing,
the PDF falls back to the Latin-1 core fonts (Helvetica / Courier): accents outside
Latin-1 are dropped and every other character that cannot be shown becomes `¿`, and the
footer says so. Every page carries "page N of M" and the report's fingerprint.
"""

from __future__ import annotations

import io
import pickle
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import PageOrientation, TableBordersLayout, TextEmphasis
from fpdf.fonts import FontFace

from workbench.reports.model import Paper, ReportDocument, ReportImage, Section, Table
from workbench.shown_names import shown

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/dejavu-sans-mono-fonts"),
    Path("/usr/share/fonts/TTF"),  # Arch
)
"""Where the DejaVu TrueType fonts are looked for."""
MISSING_GLYPH = "¿"
"""Stands for a character the Latin-1 fallback fonts cannot show."""

_FONT_FILES = {
    ("sans", ""): "DejaVuSans.ttf",
    ("sans", "B"): "DejaVuSans-Bold.ttf",
    ("mono", ""): "DejaVuSansMono.ttf",
    ("mono", "B"): "DejaVuSansMono-Bold.ttf",
}
_TYPOGRAPHY = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}
)
_CORE_FONTS = {"sans": "helvetica", "mono": "courier"}
_BREAKS = frozenset(" /_-")
_BODY_PT, _SMALL_PT = 8.5, 7.0
_TABLE_PT = {"sans": _SMALL_PT, "mono": 6.0}  # 6 pt mono: 32 hex digits in 41 mm


def document_pdf(document: ReportDocument, paper: Paper = "A4") -> bytes:
    """Lay a report out as a PDF (as paper shows it: `ReportDocument.printed`)."""
    document = document.printed()
    pdf = _ReportPdf(document, paper)
    pdf.add_page()
    pdf.set_font("sans", "B", 16)
    _paragraph(pdf, 8, document.title)
    pdf.set_font("sans", "", 11)
    _paragraph(pdf, 6, document.subtitle)
    pdf.set_font("sans", "", _BODY_PT)
    fingerprint = (
        f"Fingerprint (SHA-256 of {document.fingerprint_of}): {document.fingerprint}"
        if document.fingerprint
        else "No manifest: this report is not bound to any data."
    )
    _paragraph(pdf, 4.5, fingerprint)
    generated = f"{document.generated:%Y-%m-%d %H:%M:%S} UTC"
    _paragraph(pdf, 4.5, f"Generated {generated} by Case Workbench {document.tool_version}")
    for section in document.sections:
        _section(pdf, section)
    return bytes(pdf.output())


class _ReportPdf(FPDF):
    """An FPDF with the report's fonts, running header and "page N of M" footer."""

    def __init__(self, document: ReportDocument, paper: Paper) -> None:
        super().__init__(format=paper.lower())
        self.document = document
        self.set_margins(12, 14, 12)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(f"{document.title} — {document.subtitle}")
        self.set_creator(f"Case Workbench {document.tool_version}")
        fonts = _dejavu_files()
        self.unicode = fonts is not None
        for (family, style), path in (fonts or {}).items():
            self.add_font(family, style, str(path))
        self.clean: Callable[[str], str] = shown if self.unicode else _shown_latin1
        self._widths: dict[tuple[str, str], dict[str, float]] = {}

    def measure(self, family: str, style: str) -> Callable[[str], float]:
        """Width (mm) of one character at the table size in `family` / `style`, cached."""
        widths = self._widths.setdefault((family, style), {})

        def width(char: str) -> float:
            if char not in widths:
                self.set_font(family, style, _TABLE_PT[family])
                widths[char] = self.get_string_width(char)
            return widths[char]

        return width

    def set_font(
        self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0
    ) -> None:
        """Select `sans` / `mono`: DejaVu when embedded, else Helvetica / Courier."""
        if not self.unicode and family in _CORE_FONTS:
            family = _CORE_FONTS[family]
        super().set_font(family, style, size)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("sans", "", _SMALL_PT)
        self.set_text_color(91, 100, 112)
        text = self.clean(f"{self.document.title} — {self.document.subtitle}")
        self.cell(0, 4, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("sans", "", _SMALL_PT)
        self.set_text_color(91, 100, 112)
        fingerprint = self.document.fingerprint or "none"
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R", new_x="LMARGIN",
                  new_y="NEXT")
        self.set_font("mono", "", 6)
        marker = "" if self.unicode else f" · {MISSING_GLYPH} marks a character this font lacks"
        self.cell(0, 3, self.clean(f"Fingerprint {fingerprint}{marker}"), align="R")
        self.set_text_color(0)


def latin1(text: str) -> str:
    """`text` in Latin-1: plain dashes and quotes, accents off letters that need them, `¿`
    for anything else."""
    if text.isascii():
        return text
    out = []
    for char in text.translate(_TYPOGRAPHY):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(
            part for part in unicodedata.normalize("NFKD", char)
            if ord(part) < 256 and not unicodedata.combining(part)
        )
        out.append(base or MISSING_GLYPH)
    return "".join(out)


def _shown_latin1(text: str) -> str:
    return latin1(shown(text))


def _dejavu_files() -> dict[tuple[str, str], Path] | None:
    for folder in FONT_DIRS:
        found = {key: folder / name for key, name in _FONT_FILES.items()}
        if all(path.is_file() for path in found.values()):
            return found
    return None


def _section(pdf: _ReportPdf, section: Section) -> None:
    # a table too wide for portrait starts its section on a landscape page; never leave a
    # heading alone at the foot of a page; after a landscape table, portrait again
    if _too_wide_for_portrait(pdf, section.table):
        if pdf.cur_orientation is PageOrientation.PORTRAIT or pdf.will_page_break(30):
            pdf.add_page(orientation="L")
    elif pdf.will_page_break(30) or pdf.cur_orientation is not PageOrientation.PORTRAIT:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("sans", "B", 12)
    _paragraph(pdf, 6, section.title)
    pdf.set_draw_color(208, 215, 222)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1)
    pdf.set_font("sans", "", _BODY_PT)
    if section.note:
        pdf.set_text_color(91, 100, 112)
        _paragraph(pdf, 4.5, section.note)
        pdf.set_text_color(0)
    for advisory in section.advisories:
        pdf.set_font("sans", "B", _BODY_PT)
        pdf.set_text_color(181, 71, 8)
        _paragraph(pdf, 4.5, f"Advisory: {advisory}")
        pdf.set_text_color(0)
        pdf.set_font("sans", "", _BODY_PT)
    if section.facts:
        with pdf.table(
            col_widths=(2, 5), first_row_as_headings=False, text_align="LEFT",
            borders_layout=TableBordersLayout.NONE, line_height=4.5,
        ) as table:
            for fact in section.facts:
                row = table.row()
                row.cell(pdf.clean(fact.label), style=FontFace(emphasis="BOLD"))
                row.cell(pdf.clean(fact.value))
    for image in section.images:
        _image(pdf, image)
    if section.table is not None and section.table.rows:
        _table(pdf, section.table)
    if section.preformatted is not None:
        pdf.set_font("mono", "", _SMALL_PT)
        _paragraph(pdf, 3.5, section.preformatted)


def _image(pdf: _ReportPdf, image: ReportImage) -> None:
    """The picture across the text width (smaller if it would not fit on a page), on a new
    page when it does not fit on this one, with its caption under it."""
    tallest = pdf.page_break_trigger - pdf.t_margin - 14  # a running header and the caption
    width = pdf.epw
    height = width * image.height / image.width
    if height > tallest:
        width, height = tallest * image.width / image.height, tallest
    if pdf.get_y() + height + 5 > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y() + 1
    pdf.image(io.BytesIO(image.data), x=pdf.l_margin, y=top, w=width, h=height)
    pdf.set_y(top + height + 1)
    pdf.set_font("sans", "", _SMALL_PT)
    pdf.set_text_color(91, 100, 112)
    _paragraph(pdf, 3.5, image.caption)
    pdf.set_text_color(0)
    pdf.set_font("sans", "", _BODY_PT)


def _paragraph(pdf: _ReportPdf, height: float, text: str) -> None:
    pdf.multi_cell(0, height, pdf.clean(text), new_x="LMARGIN", new_y="NEXT", align="L")


def _table(pdf: _ReportPdf, table: Table) -> None:
    """Draw `table` row by row, repeating its headings on each new page.

    Hand-drawn rather than `FPDF.table()`: fpdf2's line breaking costs ~12 ms a row here
    (25 s for 2,000 files); measuring each character once and drawing plain text is ~50x faster.
    """
    families = _families(table)
    if pdf.cur_orientation is PageOrientation.PORTRAIT and _too_wide_for_portrait(pdf, table):
        pdf.add_page(orientation="L")  # after facts or pictures that share its section
    widths = _column_widths(pdf, table, families) or _column_widths(
        pdf, table, families, squeeze=True) or []  # too wide even for landscape: squeezed
    _row(pdf, table.columns, widths, families, "head")
    for index, cells in enumerate(table.rows):
        failed = index < len(table.failed) and table.failed[index]
        lines = _row_lines(pdf, cells, widths, families, "B" if failed else "")
        if pdf.get_y() + _row_height(lines) > pdf.page_break_trigger:
            pdf.add_page(orientation=pdf.cur_orientation.value)
            _row(pdf, table.columns, widths, families, "head")
        _draw(pdf, lines, widths, families, "failed" if failed else "plain")
    pdf.set_font("sans", "", _BODY_PT)


_WIDEST_MM = 70.0
"""A column wider than this wraps its text (paths, notes) rather than squeeze the others."""
_TEXT_FLOOR_MM = 30.0
"""A text column (a path, a note) gets at least its text's width up to this before any
other column widens."""
_FLOORS = ((32, _TEXT_FLOOR_MM), (16, _TEXT_FLOOR_MM), (16, _TEXT_FLOOR_MM / 2), (16, 0.0))
"""(hex digits a digest line holds, text floor) tried in turn until the columns fit; a
portrait page tries only the first two, then the table goes on landscape pages."""


def _text_width(measure: Callable[[str], float], text: str) -> float:
    return sum(measure(char) for char in text)


def _families(table: Table) -> list[str]:
    return ["mono" if column in set(table.mono) else "sans"
            for column in range(len(table.columns))]


def _too_wide_for_portrait(pdf: _ReportPdf, table: Table | None) -> bool:
    """Whether `table` needs landscape pages: its columns do not fit a portrait page's width
    with their text floors whole."""
    if table is None or not table.rows:
        return False
    portrait_mm = min(pdf.w, pdf.h) - pdf.l_margin - pdf.r_margin
    return _column_widths(pdf, table, _families(table), page_mm=portrait_mm,
                          portrait=True) is None


def _column_widths(pdf: _ReportPdf, table: Table, families: list[str], *,
                   squeeze: bool = False, page_mm: float | None = None,
                   portrait: bool | None = None) -> list[float] | None:
    """Widths (mm) from the content: every column at least as wide as its longest heading
    word (headings never break inside a word), a text column as wide as its text up to
    `_TEXT_FLOOR_MM` (less, down to its heading, when the page is too narrow), a digest
    column a fixed wrap width (32 hex digits a line, 16 when the table holds too many
    digests for that); the rest of the page shared by how much more
    each column's longest text would need. None when the columns do not fit this page's
    width (a portrait page keeps text floors whole: a table that needs less goes landscape),
    unless `squeeze`: then all are shrunk alike."""
    head = pdf.measure("sans", "B")
    heads, longest, digests = [], [], []
    style = "B" if any(table.failed) else ""  # a failed row is drawn in bold, wider
    for column, (title, family) in enumerate(zip(table.columns, families, strict=True)):
        body = pdf.measure(family, style)
        cells = [pdf.clean(row[column]) for row in table.rows if column < len(row)]
        words = [_text_width(head, word) for word in pdf.clean(title).split()] or [0.0]
        heads.append(max(words) + 0.2 + 2 * _PAD)
        longest.append(max([_text_width(body, c) for c in cells] or [0.0]) + 2 * _PAD)
        digests.append(family == "mono" and any(len(c) >= 32 and c.isalnum() for c in cells))
    page_mm = pdf.epw if page_mm is None else page_mm
    if portrait is None:
        portrait = pdf.cur_orientation is PageOrientation.PORTRAIT
    for digits, text_floor in _FLOORS[:2] if portrait and not squeeze else _FLOORS:
        digest_mm = _text_width(pdf.measure("mono", ""), "0" * digits) + 2 * _PAD + 0.2
        floors = [max(head_mm, digest_mm if digest else min(text_mm, text_floor))
                  for head_mm, text_mm, digest in zip(heads, longest, digests, strict=True)]
        if sum(floors) <= page_mm:
            break
    spare = page_mm - sum(floors)
    if spare <= 0:  # more columns than the page holds
        return [floor * page_mm / sum(floors) for floor in floors] if squeeze else None
    wants = [max(floor, min(text_mm, _WIDEST_MM))
             for floor, text_mm in zip(floors, longest, strict=True)]
    extra = [want - floor for want, floor in zip(wants, floors, strict=True)]
    if sum(extra) <= spare:  # everything fits on one line: share what is left by want
        return [want * page_mm / sum(wants) for want in wants]
    return [floor + spare * more / sum(extra)
            for floor, more in zip(floors, extra, strict=True)]


_Kind = Literal["head", "failed", "plain"]
_FILL: dict[_Kind, tuple[int, int, int] | None] = {
    "head": (238, 241, 244), "failed": (253, 232, 231), "plain": None,
}
_INK: dict[_Kind, tuple[int, int, int]] = {
    "head": (0, 0, 0), "failed": (180, 35, 24), "plain": (0, 0, 0),
}
_PAD, _LINE = 0.8, 3.0


def _row(pdf: _ReportPdf, cells: list[str], widths: list[float], families: list[str],
         kind: _Kind) -> None:
    families = ["sans"] * len(families) if kind == "head" else families
    _draw(pdf, _row_lines(pdf, cells, widths, families, "B"), widths, families, kind)


def _row_lines(pdf: _ReportPdf, cells: Sequence[str], widths: list[float], families: list[str],
               style: str) -> list[list[str]]:
    return [
        _wrap(pdf.clean(text), width - 2 * _PAD, pdf.measure(family, style))
        for text, width, family in zip(cells, widths, families, strict=True)
    ]


def _row_height(lines: list[list[str]]) -> float:
    return max(len(cell) for cell in lines) * _LINE + 2 * _PAD


def _draw(pdf: _ReportPdf, lines: list[list[str]], widths: list[float], families: list[str],
          kind: _Kind) -> None:
    top, height, x = pdf.get_y(), _row_height(lines), pdf.l_margin
    fill = _FILL[kind]
    if fill is not None:
        pdf.set_fill_color(*fill)
    pdf.set_text_color(*_INK[kind])
    for cell, width, family in zip(lines, widths, families, strict=True):
        pdf.rect(x, top, width, height, style="DF" if fill else "D")
        pdf.set_font(family, "" if kind == "plain" else "B", _TABLE_PT[family])
        for number, line in enumerate(cell):
            pdf.text(x + _PAD, top + _PAD + (number + 0.78) * _LINE, line)
        x += width
    pdf.set_text_color(0)
    pdf.set_y(top + height)


def _wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking: after a space, `/`, `_` or `-` when possible, else anywhere."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for char in paragraph:
            advance = measure(char)
            if used + advance > width and line:
                cut = max((i + 1 for i, c in enumerate(line) if c in _BREAKS), default=len(line))
                lines.append("".join(line[:cut]).rstrip())
                line = line[cut:] if cut < len(line) else []
                used = sum(measure(c) for c in line)
            if line or char != " ":
                line.append(char)
                used += advance
        lines.append("".join(line))
    return lines


def main() -> None:
    """`python -m workbench.reports.pdf`: a pickled (document, paper) on stdin, its PDF out."""
    document, paper = pickle.loads(sys.stdin.buffer.read())  # from our own parent only
    sys.stdout.buffer.write(document_pdf(document, paper))


if __name__ == "__main__":
    main()

"""A report document as one self-contained HTML page (inline CSS, no external assets).

Every text from the record goes through `html.escape`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator
from importlib.resources import files

from workbench.reports.model import ReportDocument, ReportImage, Section, Table
from workbench.shown_names import shown


def escape(text: str) -> str:
    """`text` made visible (`shown_names.shown`) and HTML-escaped."""
    return html.escape(shown(text))


_MONO = ' class="mono"'
_CSS = (files("workbench.reports") / "report.css").read_text(encoding="utf-8")  # inlined
_ROWS_PER_CHUNK = 1_000


def document_html(document: ReportDocument) -> str:
    """Lay a report out as one HTML page."""
    return "".join(html_chunks(document))


def html_chunks(document: ReportDocument) -> Iterator[str]:
    """The HTML page of `document` in pieces, written as they come: a table of 100,000 rows
    is never one string."""
    fingerprint = (
        f'<p class="fingerprint">Fingerprint (SHA-256 of {escape(document.fingerprint_of or "")})'
        f": <code>{escape(document.fingerprint)}</code></p>"
        if document.fingerprint
        else '<p class="fingerprint">No manifest: this report is not bound to any data.</p>'
    )
    generated = f"{document.generated:%Y-%m-%d %H:%M:%S} UTC"
    yield "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)} — {escape(document.subtitle)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>{escape(document.title)}</h1>",
        f'<p class="subtitle">{escape(document.subtitle)}</p>',
        fingerprint,
        f'<p class="meta">Generated {generated} by Case Workbench '
        f"{escape(document.tool_version)}</p></header>\n",
    ])
    for section in document.sections:
        yield from _section(section)
        yield "\n"
    yield (f"<footer>{escape(document.subtitle)} · generated {generated} · "
           f"fingerprint {escape(document.fingerprint or 'none')}</footer>\n</body></html>\n")


def _section(section: Section) -> Iterator[str]:
    parts = [f"<section><h2>{escape(section.title)}</h2>"]
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    parts += [f'<p class="advisory">Advisory: {escape(text)}</p>' for text in section.advisories]
    if section.facts:
        items = "".join(
            f"<dt>{escape(fact.label)}</dt><dd>{escape(fact.value)}</dd>" for fact in section.facts
        )
        parts.append(f'<dl class="facts">{items}</dl>')
    parts.extend(_image(image) for image in section.images)
    yield "\n".join(parts) + "\n"
    if section.table is not None:
        yield from _table(section.table)
        yield "\n"
    if section.preformatted is not None:
        yield f"<pre>{escape(section.preformatted)}</pre>\n"
    yield "</section>"


def _image(image: ReportImage) -> str:
    """The image inline as a data URI (the page stays one self-contained file)."""
    data = base64.b64encode(image.data).decode("ascii")
    caption = escape(image.caption)
    return (
        f'<figure><img src="data:{image.mime};base64,{data}" alt="{caption}" '
        f'width="{image.width}" height="{image.height}"><figcaption>{caption}</figcaption>'
        "</figure>"
    )


def _table(table: Table) -> Iterator[str]:
    total = sum(table.widths) or 1
    columns = "".join(
        f'<col style="width:{100 * width / total:.1f}%">' for width in table.widths
    )
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    yield f"<table><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>"
    mono = set(table.mono)
    for start in range(0, len(table.rows), _ROWS_PER_CHUNK):
        body = []
        for index in range(start, min(start + _ROWS_PER_CHUNK, len(table.rows))):
            failed = index < len(table.failed) and table.failed[index]
            cells = "".join(
                f"<td{_MONO if column in mono else ''}>{escape(cell)}</td>"
                for column, cell in enumerate(table.rows[index])
            )
            body.append(f'<tr class="failed">{cells}</tr>' if failed else f"<tr>{cells}</tr>")
        yield "".join(body)
    yield "</tbody></table>"

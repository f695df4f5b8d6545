"""A report document as one self-contained HTML page (inline CSS, no external assets).

Every text from the record goes through `html.escape`.
"""

from __future__ import annotations

import base64
import html

from workbench.reports.document import ReportDocument, ReportImage, Section, Table
from workbench.shown_names import shown


def escape(text: str) -> str:
    """`text` made visible (`shown_names.shown`) and HTML-escaped."""
    return html.escape(shown(text))


_MONO = ' class="mono"'
_CSS = """
:root { --ink: #1b1f24; --muted: #5b6470; --rule: #d0d7de; --bad: #b42318; --bad-bg: #fde8e7; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 24px auto; max-width: 1200px; padding: 0 16px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 8px; margin-bottom: 16px; }
h1 { font-size: 18pt; margin: 0; }
h2 { font-size: 13pt; margin: 22px 0 6px; border-bottom: 1px solid var(--rule); }
.subtitle { font-size: 12pt; margin: 2px 0 6px; }
.meta, .note { color: var(--muted); margin: 2px 0; }
.advisory { background: #fff4e5; border-left: 4px solid #b54708; color: #7a2e0e; font-weight: 600;
            margin: 4px 0; padding: 3px 6px; }
code, pre, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; }
.fingerprint code { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 4px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 4px 0; }
th, td { border: 1px solid var(--rule); padding: 2px 4px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; font-size: 8.5pt; }
th { background: #eef1f4; }
tr.failed td { background: var(--bad-bg); color: var(--bad); font-weight: 600; }
tr.failed td:first-child { border-left: 4px solid var(--bad); }
figure { margin: 6px 0 10px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 8.5pt; }
pre { background: #f6f8fa; border: 1px solid var(--rule); padding: 6px; overflow-x: auto; }
footer { color: var(--muted); font-size: 8pt; border-top: 1px solid var(--rule); margin-top: 24px;
         padding-top: 4px; overflow-wrap: anywhere; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0 0 10mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, dl.facts, pre, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  footer { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; margin: 0; }
}
"""


def document_html(document: ReportDocument) -> str:
    """Lay a report out as one HTML page."""
    fingerprint = (
        f'<p class="fingerprint">Fingerprint (SHA-256 of {escape(document.fingerprint_of or "")})'
        f": <code>{escape(document.fingerprint)}</code></p>"
        if document.fingerprint
        else '<p class="fingerprint">No manifest: this report is not bound to any data.</p>'
    )
    generated = f"{document.generated:%Y-%m-%d %H:%M:%S} UTC"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)} — {escape(document.subtitle)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>{escape(document.title)}</h1>",
        f'<p class="subtitle">{escape(document.subtitle)}</p>',
        fingerprint,
        f'<p class="meta">Generated {generated} by Case Workbench '
        f"{escape(document.tool_version)}</p></header>",
        *(_section(section) for section in document.sections),
        f"<footer>{escape(document.subtitle)} · generated {generated} · "
        f"fingerprint {escape(document.fingerprint or 'none')}</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _section(section: Section) -> str:
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
    if section.table is not None:
        parts.append(_table(section.table))
    if section.preformatted is not None:
        parts.append(f"<pre>{escape(section.preformatted)}</pre>")
    parts.append("</section>")
    return "\n".join(parts)


def _image(image: ReportImage) -> str:
    """The image inline as a data URI (the page stays one self-contained file)."""
    data = base64.b64encode(image.data).decode("ascii")
    caption = escape(image.caption)
    return (
        f'<figure><img src="data:{image.mime};base64,{data}" alt="{caption}" '
        f'width="{image.width}" height="{image.height}"><figcaption>{caption}</figcaption>'
        "</figure>"
    )


def _table(table: Table) -> str:
    total = sum(table.widths) or 1
    columns = "".join(
        f'<col style="width:{100 * width / total:.1f}%">' for width in table.widths
    )
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    mono = set(table.mono)
    body = []
    for index, row in enumerate(table.rows):
        failed = index < len(table.failed) and table.failed[index]
        cells = "".join(
            f"<td{_MONO if column in mono else ''}>{escape(cell)}</td>"
            for column, cell in enumerate(row)
        )
        body.append(f'<tr class="failed">{cells}</tr>' if failed else f"<tr>{cells}</tr>")
    return (
        f"<table><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )

"""The printable case report inside a notebook or widget, isolated in an `<iframe>`."""

from __future__ import annotations

import html

from IPython.display import HTML

from workbench.evidence import VerifyReport
from workbench.processing import CopyReport
from workbench.reports import report_html


def iframe_html(page: str, height: int = 640) -> str:
    """`page` (a whole HTML document) in an iframe, so its own CSS cannot restyle the notebook."""
    return (
        f'<div class="wb-printable"><iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{height}px;border:1px solid #ccc"></iframe></div>'
    )


def printable(report: CopyReport | VerifyReport, height: int = 640) -> HTML:
    """The report's printable page, ready to display in a notebook cell."""
    return HTML(iframe_html(report_html(report), height))  # type: ignore[no-untyped-call]

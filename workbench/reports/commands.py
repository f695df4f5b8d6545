"""Report commands: a case folder, a copy or an audit as a printable page; the case report's
HTML and PDF written into the evidence record."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from workbench.atomic import write_atomic
from workbench.errors import IoError, ReportError, WorkbenchError, payload_from_os_error
from workbench.evidence.layout import evidence_dir
from workbench.evidence.types import VerifyReport
from workbench.media import MediaReport
from workbench.processing.types import CopyReport
from workbench.reports.current import record_state, report_is_current, stamp_report
from workbench.reports.derived import with_derived
from workbench.reports.document import case_document, copy_document, verify_document
from workbench.reports.footage import footage_document, with_footage
from workbench.reports.html import document_html, html_chunks
from workbench.reports.model import Paper, ReportDocument
from workbench.reports.record import custody_log, latest_case

REPORT_HTML = "report.html"
"""File name of the HTML case report inside the evidence record."""
REPORT_PDF = "report.pdf"
"""File name of the PDF case report inside the evidence record."""
AFTER_EVERY_STEP = True
"""Bring a case folder's report up to date after every copy, audit, footage analysis and
export (`events.CASE_RECORD_CHANGED`). Only the test suite turns it off, where the report is
not the subject: it costs about a second a step on a 2-core machine."""

log = logging.getLogger(__name__)


def report_html(
    subject: str | os.PathLike[str] | CopyReport | VerifyReport | MediaReport,
) -> str:
    """A printable HTML page: of a case folder (from its evidence record, with its footage
    analysis), of one copy run (with the master's custody log), of one audit, or of one
    footage analysis."""
    if isinstance(subject, CopyReport):
        return document_html(copy_document(subject))
    if isinstance(subject, VerifyReport):
        return document_html(verify_document(subject))
    if isinstance(subject, MediaReport):
        return document_html(footage_document(subject))
    return document_html(full_case_document(Path(subject)))


def full_case_document(case_dir: Path) -> ReportDocument:
    """The case report of `case_dir` with its footage analysis and its derived files."""
    custody = custody_log(case_dir)
    return with_derived(with_footage(case_document(case_dir), case_dir, latest_case(custody)),
                        custody)


def write_case_report(
    case_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None, *,
    paper: Paper = "A4",
) -> tuple[Path, Path]:
    """Write the case report as HTML and PDF (atomically) into `out_dir` (default `_evidence/`).

    Returns (html_path, pdf_path). Raises `ReportError` when the record cannot be read
    or the files cannot be written.
    """
    case = Path(case_dir)
    own = out_dir is None  # the record's own report is stamped (`current`)
    record = record_state(case, REPORT_HTML, REPORT_PDF) if own else ""  # before it is read
    document = full_case_document(case)
    folder = evidence_dir(case) if out_dir is None else Path(out_dir)
    html_path, pdf_path = folder / REPORT_HTML, folder / REPORT_PDF
    _write(html_path, (chunk.encode() for chunk in html_chunks(document)))  # as it is made
    apart = document.too_long_to_print()
    printed = document.printed()
    del document  # its long listings go before the PDF is laid out
    _write(pdf_path, _pdf_apart(printed, paper) if apart else _pdf_here(printed, paper))
    if own:
        try:
            stamp_report(case, record, REPORT_HTML, REPORT_PDF, paper)
        except OSError as exc:
            raise ReportError(payload_from_os_error(exc, str(folder), "write")) from exc
    return html_path, pdf_path


def _pdf_here(document: ReportDocument, paper: Paper) -> bytes:
    """The PDF of a case of ordinary size, laid out in this process (fpdf2 loads once, ~1 s;
    each report after takes a fraction of a second)."""
    from workbench.reports.pdf import document_pdf

    return document_pdf(document, paper)


def _pdf_apart(document: ReportDocument, paper: Paper) -> bytes:
    """The PDF of a case too long to print whole, laid out by a child interpreter: fpdf2
    (which loads fontTools, numpy and PIL, ~40 MB) and the layout never weigh on the process
    that copied 100,000 files."""
    done = subprocess.run(
        [sys.executable, "-m", "workbench.reports.pdf"], input=pickle.dumps((document, paper)),
        capture_output=True, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))})
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        detail = (done.stderr.decode(errors="replace").strip().splitlines() or ["no PDF"])[-1]
        raise ReportError(IoError(path=REPORT_PDF, operation="lay out", detail=detail))
    return done.stdout


def _write(path: Path, data: bytes | Iterable[bytes]) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise ReportError(payload_from_os_error(exc, str(path), "write")) from exc


def keep_report_current(case_dir: Path) -> None:
    """Rewrite `_evidence/report.html|pdf` of `case_dir` when it has an evidence record that
    changed since they were written (the handler of `events.CASE_RECORD_CHANGED`). A report
    that cannot be written is logged as a warning: it never undoes the copy, audit or export
    that asked for it, and the Report button, which writes it again, shows the typed
    error."""
    if not AFTER_EVERY_STEP or not evidence_dir(case_dir).is_dir():
        return
    try:
        if not report_is_current(case_dir, REPORT_HTML, REPORT_PDF, "A4"):
            write_case_report(case_dir)
    except WorkbenchError as exc:
        log.warning("case report of %s not written: %s", case_dir, exc)

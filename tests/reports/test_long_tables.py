"""A case too big to print in full: the PDF prints each manifest's fingerprint and says
where the full list is; the HTML lists every file, made row by row as it is written."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.errors import IoError, ReportError
from workbench.model import LazyRows
from workbench.processing import plan_copy, run_copy
from workbench.reports import pdf, write_case_report
from workbench.reports.commands import full_case_document
from workbench.reports.html import document_html, html_chunks
from workbench.reports.model import ReportDocument, Section, Table
from workbench.reports.model import types as report_model
from workbench.samples import make_sample_evidence

CASE = CaseData(occurrence="2026-009001", business="Big Store", exhibit_number="EX-0077")


def poppler(tool: str, *args: str | Path) -> str:
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def few_printed(monkeypatch: pytest.MonkeyPatch) -> int:
    """A printed report that lists at most 3 rows of a table (3 manifests, 8 files)."""
    monkeypatch.setattr(report_model, "PRINTED_ROWS", 3)
    return 3


def manifests(case_dir: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Each manifest's SHA-256 (as `sha256sum` gives it) and its path → digest lines."""
    found = {}
    for path in sorted((case_dir / "_evidence").glob("manifest.*")):
        lines = {name: digest for digest, name in
                 (line.split("  ", 1) for line in path.read_text().splitlines())}
        found[path.name] = (poppler("sha256sum", path).split()[0], lines)
    return found


def test_a_case_longer_than_a_print_run_prints_fingerprints_and_lists_all_in_html(
        tmp_path: Path, few_printed: int) -> None:
    source = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    plan = plan_copy([source], CASE, "default", tmp_path / "cases",
                     algorithms=["blake3", "sha256"])
    assert len(plan.items) > few_printed
    assert run_copy(plan, case_report=False).outcome == "completed"
    case_dir = plan.destination
    html_path, pdf_path = write_case_report(case_dir)

    printed = " ".join(poppler("pdftotext", "-layout", pdf_path, "-").split())
    first = " ".join(poppler("pdftotext", "-f", "1", "-l", "1", pdf_path, "-").split())
    assert "EX-0077" in first and "2026-009001" in first
    assert f"{len(plan.items):,} files" in printed and "The full list" in printed
    assert "report.html" in printed
    total = sum(item.size for item in plan.items)
    html = html_path.read_text()
    for name, (sha256, lines) in manifests(case_dir).items():
        assert f"_evidence/{name}" in printed  # its SHA-256, wrapped in its cell:
        assert all(sha256[i:i + 16] in printed for i in range(0, 64, 16))
        assert f"{len(lines):,}" in printed and f"{total:,} B" in printed
        for path, digest in lines.items():
            assert digest not in printed  # no file is listed on paper
            assert path in html and digest in html  # every one is in the HTML
    poppler("pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", pdf_path, tmp_path / "p")
    assert (tmp_path / "p-1.png").stat().st_size > 3_000

    files = next(s for s in full_case_document(case_dir).sections if s.title == "Files")
    assert files.table is not None and isinstance(files.table.rows, LazyRows)


def test_a_long_table_without_a_print_summary_prints_its_first_rows(
        tmp_path: Path, few_printed: int) -> None:
    rows = [[f"row-{i}", str(i)] for i in range(6)]
    report = ReportDocument(
        title="Evidence intake report", subtitle="T", generated=datetime.now(timezone.utc),
        sections=[Section(title="Custody log", table=Table(columns=["Name", "N"], rows=rows))])
    target = tmp_path / "t.pdf"
    target.write_bytes(pdf.document_pdf(report))
    printed = poppler("pdftotext", target, "-")
    assert "row-0" in printed and "row-2" in printed and "row-3" not in printed
    assert "3 more rows of this table are in report.html" in " ".join(printed.split())
    assert all(f"row-{i}" in document_html(report) for i in range(6))


def test_lazy_rows_are_made_on_demand_and_the_html_is_streamed() -> None:
    made: list[int] = []

    def row(i: int) -> list[str]:
        made.append(i)
        return [f"f{i}", hashlib.sha256(str(i).encode()).hexdigest()]

    rows = LazyRows(2_500, row)
    assert made == [] and len(rows) == 2_500
    assert rows[-1][0] == "f2499" and [r[0] for r in rows[1:3]] == ["f1", "f2"]
    with pytest.raises(IndexError):
        rows[2_500]
    report = ReportDocument(
        title="t", subtitle="s", generated=datetime.now(timezone.utc),
        sections=[Section(title="Files", table=Table(columns=["File", "sha256"], rows=rows))])
    chunks = list(html_chunks(report))
    assert max(len(chunk) for chunk in chunks) < 200_000 < sum(map(len, chunks))
    assert "".join(chunks) == document_html(report)
    assert any("<td>f2499</td>" in chunk and "<td>f0</td>" not in chunk for chunk in chunks)


@pytest.mark.parametrize(("rows", "apart"), [
    (3, True),  # a case too long to print whole: laid out apart
    (2_000, False),  # an ordinary case: laid out here, quicker
])
def test_the_pdf_of_a_huge_case_is_laid_out_apart_so_the_copying_process_never_loads_fpdf(
        tmp_path: Path, rows: int, apart: bool) -> None:
    code = textwrap.dedent(f"""
        import sys
        import workbench as wb
        from workbench.reports.model import types as report_model
        from workbench.samples import make_sample_evidence
        report_model.PRINTED_ROWS = {rows}  # the sample's 8 files stand for a huge case
        source = make_sample_evidence({str(tmp_path / "usb")!r})
        plan = wb.plan_copy([source], wb.CaseData(occurrence="1"), "default",
                            {str(tmp_path / "cases")!r})
        assert wb.run_copy(plan).outcome == "completed"  # writes the report on its way out
        print(sorted({{"fpdf", "numpy", "fontTools"}} & set(sys.modules)))
        print((plan.destination / "_evidence" / "report.pdf").read_bytes()[:5])
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "WORKBENCH_HOME": str(tmp_path)})
    loaded, start = done.stdout.split("\n")[:2]
    assert start == "b'%PDF-'", done.stderr
    assert (loaded == "[]") if apart else ("'fpdf'" in loaded), loaded


def test_a_pdf_that_cannot_be_laid_out_is_a_typed_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_sample_evidence(tmp_path / "usb")
    plan = plan_copy([source], CASE, "default", tmp_path / "cases")
    assert run_copy(plan, case_report=False).outcome == "completed"
    monkeypatch.setattr(report_model, "PRINTED_ROWS", 3)  # laid out apart, as a huge case is
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(ReportError) as caught:
        write_case_report(plan.destination)
    assert isinstance(caught.value.payload, IoError) and caught.value.payload.path == "report.pdf"
    assert not list((plan.destination / "_evidence").glob("*.tmp"))

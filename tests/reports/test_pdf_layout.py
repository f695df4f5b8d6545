"""The printed report read back by poppler: exhibit facts and the attestation on the page,
no heading split inside a word, no table wider than the page, the right tool names."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import workbench as wb
from workbench.reports import write_case_report
from workbench.reports.commands import full_case_document
from workbench.samples import make_sample_evidence

CASE = wb.CaseData(
    occurrence="2026-004512", business="Corner Store", technician="Jane Doe",
    badge_number="4471", exhibit_number="EX-0042", seal_numbers="S-1001; S-1002",
    received_from_name="Sam Owner", received_from_organisation="Corner Store Ltd",
    received_at="2026-11-21T09:15", seized_at="Back office, 123 Main St",
)


def poppler(tool: str, *args: str | Path) -> str:
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("printed")
    source = make_sample_evidence(root / "usb" / "DVR_EXPORT")
    plan = wb.plan_copy([source], CASE, "default", root / "cases",
                        algorithms=["sha256", "md5", "sha1", "xxh128"])
    assert wb.run_copy(plan, case_report=False).outcome == "completed"
    return plan.destination, write_case_report(plan.destination)[1]


def test_page_one_holds_the_exhibit_facts(printed: tuple[Path, Path], tmp_path: Path) -> None:
    _case_dir, pdf = printed
    first = " ".join(poppler("pdftotext", "-f", "1", "-l", "1", "-layout", pdf, "-").split())
    for fact in ("EX-0042", "S-1001, S-1002", "Sam Owner", "Corner Store Ltd",
                 "2026-11-21 09:15:00", "Back office, 123 Main St", "Jane Doe", "4471"):
        assert fact in first, fact
    poppler("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", pdf, tmp_path / "page")
    assert (tmp_path / "page-1.png").stat().st_size > 5_000, "page 1 renders"


def test_headings_never_break_inside_a_word(printed: tuple[Path, Path]) -> None:
    case_dir, pdf = printed
    text = poppler("pdftotext", "-layout", pdf, "-")
    words = set(re.findall(r"\S+", text))
    tables = [s.table for s in full_case_document(case_dir).sections if s.table and s.table.rows]
    assert len(tables) >= 4
    for table in tables:
        for heading in table.columns:
            for word in heading.split():
                assert word in words, f"{heading!r}: {word!r} is split"


def pages(pdf: Path) -> list[tuple[float, float]]:
    """(page width, rightmost word's right edge) of every page, in points."""
    boxes = poppler("pdftotext", "-bbox", pdf, "-")
    return [(float(width), max(map(float, re.findall(r'xMax="([\d.]+)"', page)), default=0.0))
            for width, page in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', boxes,
                                          re.DOTALL)]


MARGIN_PT = 12 / 25.4 * 72
"""The report's right margin."""


def test_no_table_is_wider_than_the_page(printed: tuple[Path, Path]) -> None:
    _case_dir, pdf = printed
    text = poppler("pdftotext", "-layout", pdf, "-")
    for digest in ("sha256", "xxh128", "md5", "sha1", "blake3"):
        assert digest in text, f"the {digest} column is on the page"
    for number, (width, right) in enumerate(pages(pdf), start=1):
        assert right <= width - MARGIN_PT + 1, f"page {number}: text in the right margin"


@pytest.fixture(scope="module")
def analysed(printed: tuple[Path, Path]) -> Path:
    """The report once the footage is analysed: its clip table is wider than portrait."""
    case_dir, _pdf = printed
    assert wb.probe_media(case_dir).rows
    return write_case_report(case_dir)[1]


def test_a_table_too_wide_for_portrait_goes_on_landscape_pages(
    analysed: Path, tmp_path: Path
) -> None:
    sizes = pages(analysed)
    landscape = [number for number, (width, _) in enumerate(sizes, start=1) if width > 800]
    assert landscape, "the clip table is on a landscape page"
    assert sizes[0][0] < 600, "the report starts in portrait"
    for number, (width, right) in enumerate(sizes, start=1):
        assert right <= width - MARGIN_PT + 1, f"page {number}: text in the right margin"
    page = str(landscape[0])
    on_it = poppler("pdftotext", "-f", page, "-l", page, "-layout", analysed, "-")
    assert "Clips" in on_it, "the section's heading is on the table's page"
    words = set(on_it.split())
    for heading in ("Recorder start", "Recorder end", "Real start", "Time from", "Duration"):
        assert set(heading.split()) <= words, heading
    poppler("pdftoppm", "-png", "-r", "40", "-f", page, "-l", page, analysed, tmp_path / "wide")
    assert next(tmp_path.glob("wide-*.png")).stat().st_size > 5_000, "the page renders"


def test_attestation_tool_names_and_no_markdown(printed: tuple[Path, Path]) -> None:
    _case_dir, pdf = printed
    text = " ".join(poppler("pdftotext", pdf, "-").split())
    assert "Attestation" in text and "Signature" in text and "I attest" in text
    assert "ascmhl-debug verify" in text and "`" not in text
    assert "OS account" in text

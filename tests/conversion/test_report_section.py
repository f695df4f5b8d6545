"""The printable case report lists the derived files: each copy, its digest, its master."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import workbench as wb

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def test_the_case_report_has_a_derived_files_section(case_dir: Path) -> None:
    html = wb.report_html(case_dir)
    assert "No playable copies or timeline videos" in html
    made = wb.make_playable(case_dir)
    row = next(r for r in made.rows if r.status == "lossless_verified")
    html_path, pdf_path = wb.write_case_report(case_dir)
    html = html_path.read_text()
    assert "Derived files" in html and row.output is not None
    assert row.output.relative_to(case_dir).as_posix() in html
    assert f"{row.sources[0].as_posix()} (blake3 {row.source_blake3[0]})" in html
    assert html.index("Exports") < html.index("Derived files") < html.index("Manifests")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Derived files" in text and "lossless_verified" in text

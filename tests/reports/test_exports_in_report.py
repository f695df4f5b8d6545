"""The printable report lists every export of the case folder from its custody log."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import ExportError
from workbench.exports import export_case
from workbench.processing import run_copy
from workbench.reports import report_html


def test_exports_are_listed_with_their_digests(tmp_path: Path, source: Path, plan_for) -> None:
    case_dir = run_copy(plan_for([source])).plan.destination
    assert "This case folder has not been exported." in report_html(case_dir)
    archive = export_case(case_dir, "zip", tmp_path / "out")
    bag = export_case(case_dir, "bagit", tmp_path / "out")
    with pytest.raises(ExportError):
        export_case(case_dir, "zip", tmp_path / "out")  # the name is taken now
    page = report_html(case_dir)
    for report in (archive, bag):
        assert str(report.path) in page
        assert report.digests["sha256"] in page and report.digests["blake3"] in page
    assert page.count("<td>export</td>") == 2, "custody log: the two exports (a refusal "\
        "before writing is not an export attempt)"
    assert "<td>zip</td>" in page and "<td>bagit</td>" in page

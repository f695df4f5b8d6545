"""The case report and its stamp under SIGKILL: a report killed at any counted write, fsync
or rename is never taken for current when it is stale, and the next step makes it whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kill_helpers import run_child, unfinished

import workbench as wb
from workbench.reports import commands as report_commands
from workbench.reports import keep_report_current, write_case_report
from workbench.reports.commands import REPORT_HTML, REPORT_PDF
from workbench.reports.current import report_is_current
from workbench.samples import make_sample_evidence

pytestmark = pytest.mark.slow

RUN = """
from pathlib import Path
from workbench.reports import write_case_report
write_case_report(Path(sys.argv[3]))
print(json.dumps({"calls": calls[0]}))
"""
AUDITED = "<dt>Audits</dt><dd>1</dd>"
"""What the report shows once it is made after the audit (a stale one says 0)."""


def _stale_case(root: Path) -> Path:
    """A case folder whose stamped report was made before its audit."""
    source = make_sample_evidence(root / "usb" / "DVR_EXPORT")
    report = wb.run_copy(wb.plan_copy([source], wb.CaseData(occurrence="2026-7"), "default",
                                      root / "cases"))
    case = report.plan.destination
    write_case_report(case)
    assert wb.verify_case(case).ok  # a custody line the report does not show yet
    assert not report_is_current(case, REPORT_HTML, REPORT_PDF, "A4")
    return case


def _html(case: Path) -> str:
    return (case / "_evidence" / REPORT_HTML).read_text(encoding="utf-8")


def test_a_killed_report_is_never_current_while_stale(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    clean = run_child(RUN, _stale_case(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    calls = json.loads(clean.stdout.splitlines()[-1])["calls"]
    assert calls > 6
    for kill_at in sorted({1, 2, calls // 3, calls // 2, calls - 3, calls - 2, calls - 1}):
        case = _stale_case(tmp_path / f"k{kill_at}")
        killed = run_child(RUN, case, kill_at)
        assert killed.returncode != 0, f"call {kill_at} of {calls} did not kill"
        if report_is_current(case, REPORT_HTML, REPORT_PDF, "A4"):
            assert AUDITED in _html(case), f"killed at {kill_at}: a stale report taken as current"
        monkeypatch.setattr(report_commands, "AFTER_EVERY_STEP", True)  # the next step's
        keep_report_current(case)
        monkeypatch.setattr(report_commands, "AFTER_EVERY_STEP", False)
        assert report_is_current(case, REPORT_HTML, REPORT_PDF, "A4"), kill_at
        assert AUDITED in _html(case) and _html(case).rstrip().endswith("</html>")
        pdf = (case / "_evidence" / REPORT_PDF).read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        leftovers = [p.name for p in (case / "_evidence").iterdir() if unfinished(p.name)]
        assert all(name.startswith(".report.") for name in leftovers), leftovers

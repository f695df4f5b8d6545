"""A step that left the case folder as it was does not lay its report out again; anything
that changed the record, an evidence file, a report file or the paper makes it rewrite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import workbench as wb
from workbench import events
from workbench.reports import write_case_report
from workbench.reports.current import STATE_FILE
from workbench.samples import make_sample_evidence

pytestmark = pytest.mark.usefixtures("case_reports")


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    source = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    report = wb.run_copy(wb.plan_copy([source], wb.CaseData(occurrence="2026-1"), "default",
                                      tmp_path / "cases"))
    assert report.outcome == "completed"
    return report.plan.destination


def _written(case_dir: Path) -> tuple[int, int]:
    """The inode of each report file: a rewrite renames a new file over it."""
    evidence = case_dir / "_evidence"
    return (evidence / "report.html").stat().st_ino, (evidence / "report.pdf").stat().st_ino


def _step(case_dir: Path) -> bool:
    """Whether the report was laid out again after a step that changed nothing else."""
    before = _written(case_dir)
    events.emit(events.CASE_RECORD_CHANGED, case_dir)
    return _written(case_dir) != before


def test_an_unchanged_case_keeps_its_report(case_dir: Path) -> None:
    assert (case_dir / "_evidence" / STATE_FILE).is_file()
    assert not _step(case_dir)
    assert not _step(case_dir)


def test_a_new_custody_line_rewrites_it(case_dir: Path) -> None:
    assert wb.verify_case(case_dir).ok  # its custody line and MHL generation
    assert not _step(case_dir), "the audit's own step wrote it already"
    with (case_dir / "_evidence" / "custody.jsonl").open("ab") as log:
        log.write(b"")  # opened for writing, nothing written: the stat is unchanged
    assert not _step(case_dir)
    os.utime(case_dir / "_evidence" / "custody.jsonl")
    assert _step(case_dir)


@pytest.mark.parametrize("change", ["evidence gone", "evidence rewritten", "history touched",
                                    "pdf gone", "html replaced", "stamp torn"])
def test_any_change_rewrites_it(case_dir: Path, change: str) -> None:
    evidence = sorted(p for p in case_dir.rglob("*.dav") if "_evidence" not in p.parts)[0]
    if change == "evidence gone":
        evidence.chmod(0o644)
        evidence.unlink()
    elif change == "evidence rewritten":  # same size and mtime: the ctime still moves
        info = evidence.stat()
        evidence.chmod(0o644)
        data = bytearray(evidence.read_bytes())
        data[0] ^= 1
        evidence.write_bytes(bytes(data))
        os.utime(evidence, ns=(info.st_atime_ns, info.st_mtime_ns))
    elif change == "history touched":
        generation = sorted((case_dir / "ascmhl").glob("*.mhl"))[0]
        os.utime(generation)
    elif change == "pdf gone":
        (case_dir / "_evidence" / "report.pdf").unlink()
        (case_dir / "_evidence" / "report.pdf").write_bytes(b"")
    elif change == "html replaced":
        html = case_dir / "_evidence" / "report.html"
        html.write_text(html.read_text(encoding="utf-8") + " ", encoding="utf-8")
    else:
        (case_dir / "_evidence" / STATE_FILE).write_text("{", encoding="utf-8")
    assert _step(case_dir)
    assert not _step(case_dir), "and then it is current again"


def test_another_paper_or_folder_is_not_stamped_as_the_records_own(case_dir: Path,
                                                                    tmp_path: Path) -> None:
    write_case_report(case_dir, paper="Letter")
    assert _step(case_dir), "the record's own report is A4"
    stamp = (case_dir / "_evidence" / STATE_FILE).read_bytes()
    (tmp_path / "elsewhere").mkdir()
    write_case_report(case_dir, tmp_path / "elsewhere")
    assert (case_dir / "_evidence" / STATE_FILE).read_bytes() == stamp
    assert not _step(case_dir)

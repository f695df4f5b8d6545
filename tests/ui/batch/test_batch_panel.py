"""BatchPanel: a CSV checked as a table, a run with one bar, Cancel, and errors as messages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from workbench.hashing import partial
from workbench.ui import BatchPanel, Workbench


def write_batch(tmp_path: Path, drives: int = 3, size: int = 50_000) -> Path:
    lines = ["occurrence,business,template,sources,destination"]
    for number in range(1, drives + 1):
        export = tmp_path / f"usb{number}" / "DVR_EXPORT"
        export.mkdir(parents=True)
        for clip in range(3):
            (export / f"ch{clip}.dav").write_bytes(bytes([number, clip]) * (size // 2))
        lines.append(f"2026-000{number},,flat,usb{number}/DVR_EXPORT,cases")
    lines.append("2026-0009,,flat,usb9/DVR_EXPORT,cases")  # a drive that is not plugged in
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_batch_is_checked_then_run_with_one_bar(tmp_path: Path) -> None:
    panel = BatchPanel()
    assert repr(panel) == "<BatchPanel: idle>"
    panel.path.value = str(write_batch(tmp_path))

    assert panel.check is not None and [r.outcome for r in panel.check.rows] == [
        "ready", "ready", "ready", "invalid"]
    assert "4 case(s): 3 ready, 0 already done, 1 invalid" in panel.message.value
    assert "#fde0dc" in panel.table.value and "does not exist" in panel.table.value
    assert repr(panel) == "<BatchPanel: 4 cases checked>"

    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=120)

    assert report is panel.report and report is not None
    assert [r.outcome for r in report.rows] == ["completed"] * 3 + ["invalid"]
    assert "Batch finished with problems (3 completed, 1 invalid)" in panel.message.value
    assert panel.progress.children, "the bar's container is in the panel"
    assert "completed" in panel.summary.value and "#fde0dc" in panel.summary.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled
    assert repr(panel) == "<BatchPanel: completed_with_errors>"

    panel.check_button.click()
    assert "3 already done" in panel.message.value


def test_cancel_stops_the_batch_and_a_second_run_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_all = partial.write_all

    def crawl(fd: int, data: memoryview) -> None:
        time.sleep(0.2)
        write_all(fd, data)

    monkeypatch.setattr(partial, "write_all", crawl)
    panel = BatchPanel()
    panel.path.value = str(write_batch(tmp_path))
    panel.run_button.click()
    deadline = time.monotonic() + 60
    while not list((tmp_path / "cases").rglob("*.partial")):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert panel.run_button.disabled and not panel.cancel_button.disabled
    panel.cancel_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=120)

    assert report is not None and report.outcome == "cancelled"
    assert "run it again to resume" in panel.message.value
    assert not list((tmp_path / "cases").rglob("*.partial"))

    monkeypatch.setattr(partial, "write_all", write_all)
    panel.run_button.click()
    again = panel.job.result(timeout=120)
    assert again is not None
    assert {r.outcome for r in again.rows[:3]} <= {"completed", "already_done"}


def test_a_file_that_is_not_a_batch_is_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "cases.csv"
    bad.write_text("occurrence,colour\nx,red\n")
    panel = BatchPanel()
    panel.path.value = str(bad)
    assert "unknown column &#x27;colour&#x27;" in panel.message.value and panel.table.value == ""
    panel.path.value = ""
    panel.run_button.click()
    assert panel.job is None and "Give the path" in panel.message.value


def test_the_app_has_a_batch_tab() -> None:
    app = Workbench()
    assert app.tabs.titles[-1].endswith("· Batch")
    assert app.batch_panel in app.tabs.children[-1].children
    assert app.fleet_panel in app.tabs.children[-1].children
    app.close()

"""FleetPanel on a real Dask scheduler (one worker process for the module): failures first,
the fleet report on demand, and bad input as messages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from workbench.batch.fleet import tasks
from workbench.ui import FleetPanel

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    yield str(cluster.scheduler_address)
    cluster.close()


def make_store(tmp_path: Path, export: Path, count: int) -> list[Path]:
    template = wb.Template(id="t", name="t", levels=[wb.TemplateLevel(pattern="{occurrence}")])
    plan = wb.plan_copy([export], wb.CaseData(occurrence="model"), template, tmp_path / "m")
    assert wb.run_copy(plan).outcome == "completed"
    folders = [tmp_path / "store" / f"2026-{n:04d}" for n in range(count)]
    for folder in folders:
        shutil.copytree(plan.destination, folder)
    return folders


def test_the_audit_shows_failures_first_and_the_report(
        scheduler: str, tmp_path: Path, export: Path) -> None:
    folders = make_store(tmp_path, export, 3)
    (folders[2] / "export" / "cam2.mp4").unlink()
    panel = FleetPanel()
    assert repr(panel) == "<FleetPanel: idle>"
    panel.roots.value = f"{tmp_path / 'store'}\n"
    panel.scheduler.value = scheduler

    panel.run_button.click()
    assert panel.job is not None
    report: Any = panel.job.result(timeout=120)

    assert report is panel.report and not report.ok
    assert "3 case folder(s): 2 ok, 1 with problems, 0 not audited" in panel.message.value
    table = panel.table.value
    assert table.index(str(folders[2])) < table.index(str(folders[0])), "failures first"
    assert "missing: export/cam2.mp4" in table and "#fde0dc" in table
    assert panel.progress.children and repr(panel) == "<FleetPanel: problems found>"
    panel.report_button.click()
    assert "<iframe srcdoc=" in panel.printable.value and "Fleet audit report" in \
        panel.printable.value


def test_bad_input_is_a_message(scheduler: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    panel = FleetPanel()
    panel.run_button.click()
    assert panel.job is None and "at least one folder" in panel.message.value

    monkeypatch.setattr(tasks, "CONNECT_TIMEOUT_S", 1.0)
    (tmp_path / "store" / "case" / "_evidence").mkdir(parents=True)
    (tmp_path / "store" / "case" / "_evidence" / "manifest.blake3").write_text("")
    panel.roots.value = str(tmp_path / "store")
    panel.scheduler.value = "tcp://127.0.0.1:9"
    panel.run_button.click()
    assert panel.job is not None and panel.job.result(timeout=60) is None
    assert "cannot run the audit" in panel.message.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled

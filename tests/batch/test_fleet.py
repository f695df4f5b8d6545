"""The fleet audit on a real Dask cluster (two worker processes, one per module): every case
folder one task, tampered folders named with their files, a vanished folder or a dead
worker a typed row while the rest finish."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from workbench.batch.fleet import tasks
from workbench.batch.fleet.discovery import find_case_folders
from workbench.cli import main
from workbench.errors import BatchError

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

MakeExport = Callable[..., Path]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes, one task each at a time; a task whose worker dies is not
    retried (so the test of a dying worker sees it at once, and no other task was there)."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    connected = distributed.Client(cluster, set_as_default=False)
    yield connected
    connected.close()
    cluster.close()


@pytest.fixture
def store(tmp_path: Path, make_export: MakeExport) -> Callable[[int], list[Path]]:
    """`store(n)`: n verified case folders under `tmp_path/store/<year>/<case>`."""

    def make(count: int) -> list[Path]:
        case = wb.CaseData(occurrence="2026-0000")
        template = wb.Template(id="t", name="t", levels=[wb.TemplateLevel(pattern="model")])
        plan = wb.plan_copy([make_export("usb", files=4, size=20_000)], case, template,
                            tmp_path / "model")
        assert wb.run_copy(plan).outcome == "completed"
        folders = [tmp_path / "store" / str(2025 + n % 2) / f"2026-{n:04d}"
                   for n in range(count)]
        for folder in folders:
            shutil.copytree(plan.destination, folder)
        return folders

    return make


def last_custody(case_dir: Path) -> dict[str, Any]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    return dict(json.loads(lines[-1]))


def test_thirty_case_folders_two_tampered_exactly_those_fail(
        client: Any, store: Callable[[int], list[Path]], tmp_path: Path) -> None:
    folders = store(30)
    modified = folders[7] / "DVR_EXPORT" / "CAM01" / "ch00_20261120_140000.dav"
    modified.chmod(0o644)
    modified.write_bytes(b"edited" + modified.read_bytes()[6:])
    missing = folders[22] / "DVR_EXPORT" / "CAM02" / "ch01_20261120_140000.dav"
    missing.unlink()
    progress: list[wb.FleetProgress] = []

    report = wb.audit_cases(tmp_path / "store", client=client, on_progress=progress.append)

    frame = report.to_frame()
    assert len(frame) == 30 and not report.ok
    assert frame["ok"].tolist() == [False, False] + [True] * 28, "failures first"
    failed = frame.head(2).set_index("case_folder")
    assert sorted(failed.index) == sorted([str(folders[7]), str(folders[22])])
    assert failed.loc[str(folders[7]), "problems"] == (
        "modified: DVR_EXPORT/CAM01/ch00_20261120_140000.dav")
    assert failed.loc[str(folders[22]), "problems"] == (
        "missing: DVR_EXPORT/CAM02/ch01_20261120_140000.dav")
    assert (failed.loc[str(folders[7]), "modified"], failed.loc[str(folders[22]), "missing"]
            ) == (1, 1)
    assert set(frame["worker"]) == set(client.scheduler_info()["workers"]), "both workers ran"
    assert report.summary()["cases_failed"] == 2 and report.workers == 2
    assert [p.cases_done for p in progress] == list(range(1, 31))
    for folder in folders:
        entry = last_custody(folder)
        assert entry["event"] == "audit", "each worker wrote its case's own audit record"
        assert entry["outcome"] == ("problems found" if folder in (folders[7], folders[22])
                                    else "ok")
    html = wb.fleet_html(report)
    assert html.count('<tr class="failed">') == 4, "two failures, in both tables"
    assert str(folders[22]) in html


def test_a_case_folder_that_vanishes_is_a_typed_row_and_the_rest_finish(
        client: Any, store: Callable[[int], list[Path]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folders = store(4)

    def then_vanish(*args: Any, **kwargs: Any) -> Any:
        found = find_case_folders(*args, **kwargs)
        shutil.rmtree(folders[1])  # after it was found, before its task runs
        return found

    monkeypatch.setattr(tasks, "find_case_folders", then_vanish)
    report = wb.audit_cases(tmp_path / "store", client=client)

    rows = {row.case_folder: row for row in report.rows}
    assert len(rows) == 4
    gone = rows[folders[1]]
    assert not gone.ok and gone.error is not None and gone.error.type == "PathNotFound"
    assert all(rows[folder].ok for folder in folders if folder != folders[1])
    assert "PathNotFound" in report.failures().loc[0, "error"]


def test_a_worker_that_dies_is_a_typed_row_and_the_rest_finish(
        client: Any, store: Callable[[int], list[Path]], tmp_path: Path) -> None:
    folders = store(6)
    doomed = folders[3].name

    def install() -> None:  # runs in each worker process (sent by value)
        from workbench.batch.fleet import tasks as worker_tasks

        real = worker_tasks.verify_case

        def dying(case_dir: str, **kwargs: Any) -> Any:
            if str(case_dir).endswith(doomed):
                os._exit(1)
            return real(case_dir, **kwargs)

        worker_tasks.verify_case = dying

    client.run(install)
    try:
        report = wb.audit_cases(tmp_path / "store", client=client)
    finally:
        client.restart()  # fresh workers, without the fault
    rows = {row.case_folder: row for row in report.rows}
    dead = rows[folders[3]]
    assert dead.error is not None and dead.error.type == "WorkerDied", dead
    assert "died" in dead.error.describe()
    assert all(rows[folder].ok for folder in folders if folder != folders[3]), report.rows


def test_a_scheduler_address_is_enough(client: Any, store: Callable[[int], list[Path]],
                                       tmp_path: Path) -> None:
    store(3)
    address = client.scheduler.address

    report = wb.audit_cases([tmp_path / "store" / "2025", tmp_path / "store" / "2026"],
                            client=address)

    assert report.ok and report.scheduler == address and len(report.rows) == 3
    assert client.status == "running", "the caller's cluster is left running"


def test_dask_progress_can_watch_a_submitted_audit(client: Any, store: Callable[[int], list[Path]],
                                                   tmp_path: Path) -> None:
    store(3)
    audit = wb.submit_audit(tmp_path / "store", client=client, pattern="2026/*")

    client.gather(audit.futures)  # what Dask's own progress display watches
    report = audit.result()

    assert [row.case_folder.name for row in report.rows] == ["2026-0001"]
    assert report.ok


def test_a_cancelled_audit_returns_a_row_per_case_folder(
        client: Any, store: Callable[[int], list[Path]], tmp_path: Path) -> None:
    folders = store(8)
    token = wb.CancelToken()
    token.cancel()

    report = wb.audit_cases(tmp_path / "store", client=client, cancel=token)

    assert sorted(row.case_folder for row in report.rows) == sorted(folders)
    assert all(row.ok or (row.error is not None and row.error.type == "Cancelled")
               for row in report.rows)


def test_an_unreachable_scheduler_is_a_typed_error(
        store: Callable[[int], list[Path]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store(1)
    monkeypatch.setattr(tasks, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(BatchError) as caught:
        wb.audit_cases(tmp_path / "store", client="tcp://127.0.0.1:9")
    assert caught.value.type == "SchedulerUnavailable"
    assert "tcp://127.0.0.1:9" in str(caught.value)


def test_without_dask_the_error_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(BatchError) as caught:
        wb.audit_cases(tmp_path)
    assert caught.value.type == "MissingDependency"
    assert str(caught.value) == (
        'The fleet audit needs dask[distributed] (not installed): run pip install -e '
        '".[cluster]" (from the clone) or pip install "dask[distributed]" to add it.')


def test_a_store_without_case_folders_starts_no_cluster(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    report = wb.audit_cases(tmp_path / "empty")
    assert report.rows == [] and not report.ok and report.workers == 0


def test_a_missing_root_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(BatchError) as caught:
        wb.audit_cases([tmp_path / "nowhere"])
    assert caught.value.type == "PathNotFound"


def test_audit_all_on_a_scheduler_exits_zero_only_when_every_folder_is_ok(
        client: Any, store: Callable[[int], list[Path]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folders = store(3)
    address = client.scheduler.address
    html = tmp_path / "fleet.html"

    assert main(["audit-all", str(tmp_path / "store"), "--scheduler", address,
                 "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert ": OK" in out and "cases_ok: 3" in out and html.is_file()

    (folders[0] / "DVR_EXPORT" / "CAM01" / "ch00_20261120_140000.dav").unlink()
    assert main(["audit-all", str(tmp_path / "store"), "--scheduler", address]) == 1
    out = capsys.readouterr().out
    assert f"{folders[0]}: missing: DVR_EXPORT/CAM01/ch00_20261120_140000.dav" in out


def test_audit_all_starts_its_own_local_cluster(store: Callable[[int], list[Path]],
                                                tmp_path: Path) -> None:
    store(2)
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "audit-all", str(tmp_path / "store")],
        capture_output=True, text=True, check=False, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    assert "cases_ok: 2" in result.stdout and "Traceback" not in result.stderr
    assert "workers: " in result.stdout


def test_importing_the_package_does_not_import_dask() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys, workbench, workbench.batch; "
         "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.strip() == "[]"

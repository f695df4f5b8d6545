"""One cancellation contract for every long job (`events.Outcome`): cancelled in the middle,
each returns its report with `outcome="cancelled"` (never raises), leaves no `.partial` file,
reports nothing verified that it did not finish, and its CLI verb exits 130."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import workbench as wb
from workbench.cli import console, main
from workbench.events import CancelToken, was_cancelled
from workbench.hashing.partial import PARTIAL_SUFFIX
from workbench.samples import make_sample_evidence

WINDOW = ("2026-11-20T14:13:30", "2026-11-20T14:17:30")
"""A real-time window of the sample footage (the timeline job)."""
FLEET_CASES = 4
"""Case folders of the fleet store: more than the one worker runs at once."""


class CancelAfter(CancelToken):
    """A token that cancels itself at its `looks`-th look: a cancel in the middle of a job,
    wherever the job polls its token."""

    def __init__(self, looks: int) -> None:
        super().__init__()
        self._left = looks
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        with self._lock:
            self._left -= 1
            if self._left <= 0:
                self.cancel()
        return super().cancelled


@dataclass
class Ground:
    """What the jobs work on: the sample export, a verified case folder of it, and more."""

    export: Path
    case_dir: Path
    case_file: Path
    cases: Path
    out: Path
    store: Path
    batch_csv: Path
    scheduler: str = ""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, wb.CaseData]:
    """The sample export and a verified case folder of it (never written into)."""
    work = tmp_path_factory.mktemp("sample")
    export = make_sample_evidence(work / "usb" / "DVR_EXPORT")
    case = wb.CaseData(occurrence="2026-004512", video_start="2026-11-20T14:00",
                       video_end="2026-11-20T15:30", dvr_offset="+00:04:30")
    report = wb.run_copy(wb.plan_copy([export], case, "default", work / "cases"))
    assert report.outcome == "completed"
    return export, report.plan.destination, case


@pytest.fixture
def ground(sample: tuple[Path, Path, wb.CaseData], tmp_path: Path) -> Ground:
    export, case_dir, case = sample
    fresh = Path(shutil.copytree(case_dir, tmp_path / "case", symlinks=True))
    case_file = tmp_path / "case.json"
    case_file.write_text(case.model_dump_json(), encoding="utf-8")
    store = tmp_path / "store"
    for number in range(FLEET_CASES):
        shutil.copytree(case_dir, store / f"2026-{number:04d}", symlinks=True)
    batch_csv = tmp_path / "cases.csv"
    pd.DataFrame([{"occurrence": f"2026-00{n}", "template": "default", "sources": str(export),
                   "destination": str(tmp_path / "batch")} for n in (1, 2)]
                 ).to_csv(batch_csv, index=False)
    return Ground(export, fresh, case_file, tmp_path / "cases", tmp_path / "out", store,
                  batch_csv)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One single-threaded Dask worker (in this process): the fleet's tasks queue behind it."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


@dataclass(frozen=True)
class Job:
    """A long job: how to run it with a token, and its CLI verb."""

    name: str
    run: Callable[[Ground, CancelToken], Any]
    argv: Callable[[Ground], list[str]]
    looks: int = 2
    """The token's look that cancels (the first looks let the job start)."""


def _copy(g: Ground, token: CancelToken) -> wb.CopyReport:
    case = wb.CaseData.model_validate_json(g.case_file.read_text())
    return wb.run_copy(wb.plan_copy([g.export], case, "default", g.cases), cancel=token)


JOBS = [
    Job("copy", _copy, lambda g: ["copy", "--case", str(g.case_file), "--dest", str(g.cases),
                                   str(g.export)]),
    Job("audit", lambda g, t: wb.verify_case(g.case_dir, cancel=t),
        lambda g: ["verify", str(g.case_dir)]),
    Job("compare", lambda g, t: wb.compare_folders(g.case_dir, g.export, cancel=t),
        lambda g: ["compare", str(g.case_dir), str(g.export)]),
    Job("probe", lambda g, t: wb.probe_media(g.case_dir, cancel=t),
        lambda g: ["media", str(g.case_dir)]),
    Job("zip", lambda g, t: wb.export_case(g.case_dir, "zip", g.out, cancel=t),
        lambda g: ["export", str(g.case_dir), "--format", "zip", "--out", str(g.out)]),
    Job("bagit", lambda g, t: wb.export_case(g.case_dir, "bagit", g.out, cancel=t),
        lambda g: ["export", str(g.case_dir), "--format", "bagit", "--out", str(g.out)]),
    Job("batch", lambda g, t: wb.run_batch(g.batch_csv, cancel=t),
        lambda g: ["batch", str(g.batch_csv)]),
    # the fleet's tasks are all submitted before its first look, and a look comes every
    # POLL_S: its second look may find a fast store already audited
    Job("fleet", lambda g, t: wb.audit_cases([g.store], client=g.scheduler, cancel=t),
        lambda g: ["audit-all", str(g.store), "--scheduler", g.scheduler], looks=1),
    Job("playable", lambda g, t: wb.make_playable(g.case_dir, only_unplayable=False, cancel=t),
        lambda g: ["playable", str(g.case_dir), "--all"]),
    Job("timeline", lambda g, t: wb.render_timeline(g.case_dir, *WINDOW, cancel=t),
        lambda g: ["timeline", str(g.case_dir), "--from", WINDOW[0], "--to", WINDOW[1]]),
]


@pytest.fixture(params=JOBS, ids=[job.name for job in JOBS])
def job(request: pytest.FixtureRequest, ground: Ground) -> Job:
    if request.param.name == "fleet":
        ground.scheduler = request.getfixturevalue("scheduler")
    return request.param  # type: ignore[no-any-return]


def half_written(folder: Path) -> list[str]:
    """Every `.partial` file under `folder`."""
    return sorted(str(path) for path in folder.rglob(f"*{PARTIAL_SUFFIX}"))


def test_a_job_cancelled_midway_returns_its_report_cancelled(
        job: Job, ground: Ground, tmp_path: Path) -> None:
    token = CancelAfter(job.looks)

    report = job.run(ground, token)

    assert token.cancelled, "the job looked at its token"
    assert report.outcome == "cancelled" and was_cancelled(report)
    assert half_written(tmp_path) == []
    assert getattr(report, "ok", False) is False, "a cancelled job is never ok"
    assert getattr(report, "verified", False) is False, "nor verified"


def test_the_cli_exits_130_for_a_cancelled_job(
        job: Job, ground: Ground, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(console, "CancelToken", lambda: CancelAfter(job.looks))

    code = main(job.argv(ground))

    assert code == 130, capsys.readouterr()
    assert half_written(tmp_path) == []


def test_a_cancelled_export_is_in_the_custody_log_and_leaves_nothing(ground: Ground) -> None:
    report = wb.export_case(ground.case_dir, "zip", ground.out, cancel=CancelAfter(2))

    assert report.outcome == "cancelled" and not report.verified and report.members == []
    assert not report.path.exists() and list(ground.out.iterdir()) == []
    custody = (ground.case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    assert json.loads(custody[-1])["outcome"] == "cancelled"


def test_a_cancelled_audit_writes_nothing_into_the_record(ground: Ground) -> None:
    record = ground.case_dir / "_evidence"
    before = {path: path.read_bytes() for path in record.rglob("*") if path.is_file()}

    report = wb.verify_case(ground.case_dir, cancel=CancelAfter(2))

    assert report.outcome == "cancelled" and not report.ok and len(report.rows) == 0
    assert {path: path.read_bytes() for path in record.rglob("*") if path.is_file()} == before

"""The worker pool: a crash or a hang costs one file and one worker, never the batch."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pool_tasks import behave

from workbench.events import CancelToken
from workbench.media.analysis import PROBE_TASK
from workbench.media.decode import (
    Crashed,
    Failed,
    TimedOut,
    WorkerPool,
    WorkerStartError,
    close_shared_pools,
    shared_pool,
)
from workbench.media.workers import pool as pool_module
from workbench.media.workers.pool import BOOTSTRAP, WORKER, task_name

PROBE_WORKER_MODULES = {
    "workbench", "workbench.media", "workbench.media.decode", "workbench.media.decode.files",
    "workbench.media.decode.probe", "workbench.media.decode.reduce",
    "workbench.media.decode.structure", "workbench.media.decode.timing",
}
"""Everything of the workbench a probe worker may load (DESIGN.md, the lean worker rule)."""


def test_crashes_hangs_and_bugs_are_outcomes_and_workers_are_replaced() -> None:
    items = ["ok", "segfault", "ok", "sleep", "raise", "exit", "ok", "ok"]
    with WorkerPool(behave, workers=2, timeout=2.0) as pool:
        outcomes = dict(pool.map(items))
        started = pool.started
    assert sorted(outcomes) == list(range(len(items)))
    assert outcomes[1] == Crashed(-11, "SIGSEGV")
    assert outcomes[3] == TimedOut(2.0)
    assert isinstance(outcomes[4], Failed) and "a bug in the task" in outcomes[4].detail
    assert outcomes[5] == Crashed(3, None)
    pids = {outcomes[i][1] for i in (0, 2, 6, 7)}  # type: ignore[index]
    assert all(outcomes[i][0] == "ok" for i in (0, 2, 6, 7))  # type: ignore[index]
    assert os.getpid() not in pids
    # two workers, replaced on demand after each of the three losses while items remain
    assert 3 <= started <= 2 + 3


@pytest.mark.parametrize("reported", [True, False])
def test_the_time_limit_bounds_a_stall_when_the_task_reports_progress(reported: bool) -> None:
    done = threading.Event()

    def report(pool: WorkerPool[str, tuple[str, int]]) -> None:
        while not done.wait(0.2):
            pool.progressed()

    with WorkerPool(behave, workers=1, timeout=1.0) as pool:
        pool.prestart()
        reporter = threading.Thread(target=report, args=(pool,))
        if reported:
            reporter.start()
        outcomes = dict(pool.map(["nap"]))
        done.set()
        if reported:
            reporter.join()
    assert (outcomes[0][0] == "nap") if reported else (outcomes[0] == TimedOut(1.0))  # type: ignore[index]


def test_workers_persist_across_files() -> None:
    with WorkerPool(behave, workers=2, timeout=10) as pool:
        outcomes = dict(pool.map(["ok"] * 40))
        assert pool.started == 2
    assert len({pid for _item, pid in outcomes.values()}) <= 2  # type: ignore[misc]


def test_cancel_stops_the_batch_and_its_workers() -> None:
    token = CancelToken()
    with WorkerPool(behave, workers=2, timeout=30) as pool:
        done = []
        timer = threading.Timer(0.5, token.cancel)
        timer.start()
        for index, _outcome in pool.map(["ok", "sleep", "sleep", "ok", "ok"], cancel=token):
            done.append(index)
        timer.join()
    assert 1 not in done and 2 not in done  # the sleepers were stopped, not waited for


@pytest.mark.parametrize(("task", "start_seconds", "said"), [
    ("no_such_module_for_the_pool:task", 120.0, "exited (code 1) before it was ready"),
    ("slow_start_tasks:echo", 1.0, "did not start in 1 s"),
], ids=["dies", "hangs"])
def test_a_worker_that_cannot_start_is_a_start_error_and_is_stopped(
        monkeypatch: pytest.MonkeyPatch, task: str, start_seconds: float, said: str) -> None:
    monkeypatch.setattr(pool_module, "START_SECONDS", start_seconds)
    with WorkerPool(task, workers=2) as pool:
        with pytest.raises(WorkerStartError, match=re.escape(said)):
            list(pool.map(["a", "b", "c"]))
        assert pool.started == 2
        assert not any(worker.ready for worker in pool._idle)


def test_a_task_in_main_is_refused_before_any_worker_starts() -> None:
    def local(item: str) -> str:
        return item

    with pytest.raises(ValueError, match="module-level"):
        WorkerPool(local)
    with pytest.raises(ValueError, match="__main__"):
        WorkerPool("__main__:behave")


def test_a_shared_pool_stays_warm_and_a_second_caller_gets_its_own() -> None:
    with shared_pool(behave, workers=1) as pool:
        first = dict(pool.map(["ok"]))
        with shared_pool(behave, workers=1) as other:  # lent out: a private pool
            assert other is not pool
            assert dict(other.map(["ok"]))[0][0] == "ok"  # type: ignore[index]
    with shared_pool(behave, workers=1) as again:
        assert again is pool and again.started == 1
        assert dict(again.map(["ok"])) == first  # the same worker process answered
    close_shared_pools()
    with shared_pool(behave, workers=1) as closed:
        assert closed is pool and not closed._idle



def test_idle_shared_workers_close_after_the_idle_time_and_start_again_on_use(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_module, "IDLE_SECONDS", 0.3)
    with shared_pool(behave, workers=1) as pool:
        pid = dict(pool.map(["ok"]))[0][1]  # type: ignore[index]
        worker, started = pool._idle[0].process, pool.started
    assert worker.pid == pid
    worker.wait(timeout=10)  # the idle timer asked it to finish...
    deadline = time.monotonic() + 10
    while pool._idle and time.monotonic() < deadline:  # ...and lets the pool go of it
        time.sleep(0.05)
    assert not pool._idle
    with shared_pool(behave, workers=1) as again:
        assert again is pool
        assert dict(again.map(["ok"]))[0][1] != pid  # type: ignore[index]
        assert again.started == started + 1
    close_shared_pools()


def test_a_probe_worker_loads_no_pydantic_and_only_the_probe(sample_dir: Path) -> None:
    """The probe worker, started as the pool starts it, probing every sample clip (keyframe
    images too): pydantic and the workbench's models never load (they are the caller's to
    build), nor any workbench module besides the probe's own."""
    module, function = task_name(PROBE_TASK)
    clips = sorted(str(path) for path in sample_dir.rglob("*") if path.is_file())
    code = BOOTSTRAP.replace("m.serve(m.connection(sys.argv[2]))", (
        f"task = m.load_task({module!r}, {function!r}); "
        "from workbench.media.decode.files import ProbeRequest; "
        f"results = [task(ProbeRequest(p, (160, 90))) for p in {clips!r}]; "
        "import json; print(json.dumps([sorted(sys.modules), "
        "[bool(r.thumbnail) for r in results]]))"))
    done = subprocess.run([sys.executable, "-c", code, str(WORKER)], capture_output=True,
                          text=True, timeout=120, check=True)
    loaded, thumbnails = json.loads(done.stdout)
    assert len(thumbnails) == len(clips) >= 7 and any(thumbnails)  # the JPEG path ran
    assert {name for name in loaded if name.split(".")[0] == "workbench"} == PROBE_WORKER_MODULES
    assert not {name for name in loaded if name.split(".")[0] in {"pydantic", "pydantic_core"}}


TOUR_INPUTS = {
    '"/media/usb/export"': "SOURCE",
    '"/cases"': "CASES",
    '"/work/working-copies"': "WORKING",
    '"/exports"': "EXPORTS",
}
"""The README tour's made-up paths, and the test's folders that replace them."""
TOUR_LEFT_OUT = ("/media/travel", "/cases/a", "cases.csv", "audit_cases", "wb.ui.")
"""Tour lines that need inputs the test does not make (another tool's list, a batch table),
a Dask cluster (its spawned workers import `__main__`: not the media pool's concern) or a
display."""


def readme_tour() -> list[str]:
    """The README's "Tour of the API" code, its made-up paths replaced by variables."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    code = readme.split("## Tour of the API", 1)[1].split("```python\n", 1)[1]
    lines = code.split("```", 1)[0].splitlines()
    kept = [line for line in lines if not any(word in line for word in TOUR_LEFT_OUT)]
    text = "\n".join(kept)
    for literal, name in TOUR_INPUTS.items():
        assert literal in text, literal
        text = text.replace(literal, name)
    return text.splitlines()


def custody_events(case_dir: Path) -> list[str]:
    log = case_dir / "_evidence" / "custody.jsonl"
    return [json.loads(line)["event"] for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("guarded", [False, True], ids=["unguarded", "guarded"])
def test_the_readme_tour_as_a_plain_script_records_each_action_once(
        tmp_path: Path, sample_dir: Path, guarded: bool) -> None:
    """Workers never import the caller's `__main__`: the tour saved as a script without
    `if __name__ == "__main__":` copies, audits, probes and exports once, like a guarded one."""
    folders = {name: tmp_path / name.lower() for name in TOUR_INPUTS.values()}
    folders["SOURCE"] = sample_dir
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    setup = [f"{name} = {str(folder)!r}" for name, folder in folders.items()]
    body = [*readme_tour(), "print(plan.destination)"]
    if guarded:
        body = ['if __name__ == "__main__":', *("    " + line for line in body)]
    script = tmp_path / "tour.py"
    script.write_text("\n".join(["import workbench as wb", *setup, *body]) + "\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path,
                          env={**os.environ, "WORKBENCH_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr[-3000:]
    master = Path(done.stdout.strip().splitlines()[-1])
    # copy; verify_case; the ZIP export's own audit of the case, then the export itself
    assert custody_events(master) == ["copy", "audit", "audit", "export"]
    working = [p.parent.parent for p in folders["WORKING"].rglob("custody.jsonl")]
    assert len(working) == 1 and custody_events(working[0]) == ["copy"]
    assert len(list(folders["EXPORTS"].glob("*.zip"))) == 1
    assert len(list((master / "_evidence" / "media").glob("media.json"))) == 1

"""The worker pool: a crash or a hang costs one file and one worker, never the batch."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from pool_tasks import behave

from workbench.events import CancelToken
from workbench.media.decode import Crashed, Failed, TimedOut, WorkerPool


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


def test_a_script_without_a_main_guard_gets_one_typed_error(tmp_path: Path,
                                                             sample_dir: Path) -> None:
    """Every worker imports the main module; unguarded, it would probe again and die at start.
    The caller gets one typed error saying so, not a storm of restarted workers."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import workbench as wb\n"
        "try:\n"
        f"    wb.probe_media({str(sample_dir)!r})\n"
        "except wb.MediaError as exc:\n"
        "    print('typed', exc.payload.type, str(exc))\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "WORKBENCH_HOME": str(tmp_path)})
    assert done.stdout.startswith("typed IoError Could not start a decoder worker")
    assert '__name__ == "__main__"' in done.stdout
    assert done.stderr.count("RuntimeError: ") <= 2  # the two dying workers only

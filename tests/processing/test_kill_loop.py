"""A copy SIGKILLed at many instants (#19 item 1), inside the file writes and inside every
kind of record write, each followed by a re-run that must end with every file verified, the
record complete and `b3sum --check`, `sha256sum -c` and `ascmhl-debug verify` passing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.evidence.audit import verify_case
from workbench.processing import plan_copy, run_copy
from workbench.templates import Template

ascmhl_commands = pytest.importorskip("ascmhl.commands")
click_testing = pytest.importorskip("click.testing")

ALGORITHMS = ("blake3", "sha256", "xxh128")
SMALL_FILES = 200
BIG_FILE = 5 << 20  # streamed (the child's threshold and regions lowered to 2 MiB)
INSTANTS = 18

CHILD = """
import json, os, signal, sys, threading
KILL_AT = int(sys.argv[1])
calls = [0]
record_from = [None]
lock = threading.Lock()

def hooked(module, name):
    real = getattr(module, name)
    def step(*args, **kwargs):
        with lock:
            calls[0] += 1
            if calls[0] == KILL_AT:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(module, name, step)

for name in ("write", "fsync", "replace", "link", "unlink", "rename"):
    hooked(os, name)

from workbench.cases import CaseData
from workbench.hashing import regions
from workbench.processing import engine, plan_copy, run_copy
from workbench.templates import Template
engine.STREAM_BYTES = regions.REGION_SIZE = 2 << 20  # small data, the streamed path still
real_record = engine.write_copy_record
def record(report):
    record_from[0] = calls[0]
    return real_record(report)
engine.write_copy_record = record
case = CaseData.model_validate_json(sys.argv[2])
template = Template(id="t", name="t", levels=[{"pattern": "{occurrence}"}])
plan = plan_copy([sys.argv[3]], case, template, sys.argv[4], algorithms=sys.argv[5].split(","))
report = run_copy(plan, workers=2)
print(json.dumps({"calls": calls[0], "record_from": record_from[0], "outcome": report.outcome}))
"""


def run_child(kill_at: int, case: CaseData, source: Path, root: Path
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(kill_at), case.model_dump_json(), str(source),
         str(root), ",".join(ALGORITHMS)], capture_output=True, text=True, timeout=120,
    )


def check_with_tools(case_dir: Path, instant: int) -> None:
    for command in (["b3sum", "--check", "_evidence/manifest.blake3"],
                    ["sha256sum", "-c", "_evidence/manifest.sha256"]):
        done = subprocess.run(command, cwd=case_dir, capture_output=True, text=True)
        assert done.returncode == 0, (instant, command, done.stdout[-2000:], done.stderr[-2000:])
    # ascmhl-debug verify, in-process (its CLI module would ask GitHub for updates)
    done = click_testing.CliRunner().invoke(ascmhl_commands.verify, [str(case_dir)])
    assert done.exit_code == 0, (instant, done.output[-2000:])


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill-loop") / "export"
    for index in range(SMALL_FILES):
        path = root / f"CAM{index % 4:02d}" / f"clip{index:03d}.dav"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(2048 + index))
    (root / "big.dav").write_bytes(os.urandom(BIG_FILE))
    return root


@pytest.mark.slow
@pytest.mark.native
def test_a_copy_killed_at_any_instant_is_completed_by_the_next_run(
        tmp_path: Path, export: Path, case: CaseData) -> None:
    dry = run_child(0, case, export, tmp_path / "dry")
    assert dry.returncode == 0, dry.stderr[-3000:]
    counted = json.loads(dry.stdout.strip().splitlines()[-1])
    assert counted["outcome"] == "completed"
    total, record_from = counted["calls"], counted["record_from"]
    in_copy = INSTANTS // 2
    instants = sorted({
        *(1 + k * (record_from - 1) // in_copy for k in range(in_copy)),
        *(record_from + k * (total - record_from) // (INSTANTS - in_copy)
          for k in range(INSTANTS - in_copy)),
    })
    assert len(instants) >= 15
    template = Template(id="t", name="t", levels=[{"pattern": "{occurrence}"}])
    killed = 0
    for instant in instants:
        root = tmp_path / f"kill-{instant}"
        child = run_child(instant, case, export, root)
        killed += child.returncode == -signal.SIGKILL
        plan = plan_copy([export], case, template, root, algorithms=ALGORITHMS)

        report = run_copy(plan)

        statuses = {row.status for row in report.rows}
        assert statuses <= {"verified", "skipped"}, (instant, report.to_frame())
        assert report.outcome == "completed" and not report.record_errors, instant
        case_dir = plan.destination
        assert not list(case_dir.rglob("*.partial")), instant
        audit = verify_case(case_dir)
        assert audit.ok, (instant, audit.mismatches(), audit.problems)
        assert len(audit.rows) == SMALL_FILES + 1
        check_with_tools(case_dir, instant)
    assert killed >= 15, f"only {killed} of {len(instants)} children were killed"

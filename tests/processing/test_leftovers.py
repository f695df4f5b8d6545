"""Crash leftovers: a `.partial` a killed copy of this tool left is removed and its file
copied again; any other `.partial` stays a conflict."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from filelock import FileLock

from workbench.errors import ProcessingError
from workbench.evidence.layout import RUN_FILE, RUN_LOCK
from workbench.evidence.run_lock import RunOwner
from workbench.processing import run_copy

STARTED = datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc)


def dead_pid() -> int:
    """The id of a process that ran and was reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leave_partial(case_dir: Path, relative: str, *, pid: int, host: str | None = None,
                  started: datetime = STARTED, listed: bool = True) -> Path:
    """What a copy killed while writing `relative` leaves: its partial and its run record."""
    partial = case_dir / f"{relative}.partial"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"half a fi")
    owner = RunOwner(pid=pid, host=host or socket.gethostname(), user="analyst",
                     started=started, partials=[relative] if listed else [])
    (case_dir / "_evidence").mkdir(exist_ok=True)
    (case_dir / "_evidence" / RUN_FILE).write_text(owner.model_dump_json())
    return partial


def custody(case_dir: Path) -> list[dict[str, object]]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_a_partial_a_dead_copy_left_is_removed_and_copied_again(source: Path, plan_for) -> None:
    case_dir = plan_for([source]).destination
    partial = leave_partial(case_dir, "export/CAM01/b.dav", pid=dead_pid())

    plan = plan_for([source])
    assert set(plan.to_frame()["action"]) == {"copy"}
    report = run_copy(plan)

    assert report.outcome == "completed"
    assert not partial.exists()
    assert (case_dir / "export/CAM01/b.dav").read_bytes() == (source / "CAM01/b.dav").read_bytes()
    cleanup = [entry for entry in custody(case_dir) if entry["event"] == "crash cleanup"]
    assert [entry["files"] for entry in cleanup] == [["export/CAM01/b.dav.partial"]]
    assert not (case_dir / "_evidence" / RUN_FILE).exists(), "a finished run drops its record"


def test_a_pid_reused_by_a_later_process_does_not_keep_the_partial(source: Path, plan_for
                                                                   ) -> None:
    case_dir = plan_for([source]).destination
    long_ago = datetime(2000, 1, 1, tzinfo=timezone.utc)
    partial = leave_partial(case_dir, "info.txt", pid=os.getpid(), started=long_ago)

    assert run_copy(plan_for([source])).outcome == "completed"
    assert not partial.exists()


@pytest.mark.parametrize("whose", ["no record", "not named", "other host", "owner alive"])
def test_a_partial_not_proven_ours_stays_a_conflict(source: Path, plan_for, whose: str) -> None:
    case_dir = plan_for([source]).destination
    if whose == "no record":
        partial = case_dir / "export/info.txt.partial"
        partial.parent.mkdir(parents=True)
        partial.write_bytes(b"someone else's")
    else:
        partial = leave_partial(
            case_dir, "export/info.txt", listed=whose != "not named",
            pid=os.getpid() if whose == "owner alive" else dead_pid(),
            host="another-workstation" if whose == "other host" else None,
            started=datetime.now(timezone.utc) if whose == "owner alive" else STARTED,
        )
    before = partial.read_bytes()

    report = run_copy(plan_for([source]))

    [conflict] = [row for row in report.rows if row.relative.as_posix() == "export/info.txt"]
    assert conflict.status == "error" and conflict.error and conflict.error.type == "Conflict"
    assert "interrupted copy" in conflict.error.describe()
    assert partial.read_bytes() == before
    assert report.outcome == "completed_with_errors"


def test_a_copy_into_a_folder_a_live_copy_holds_is_refused(source: Path, plan_for) -> None:
    plan = plan_for([source])
    (plan.destination / "_evidence").mkdir(parents=True)
    with FileLock(plan.destination / "_evidence" / RUN_LOCK), \
            pytest.raises(ProcessingError) as caught:
        run_copy(plan)
    assert caught.value.type == "Conflict" and "writing into it right now" in str(caught.value)
    assert not (plan.destination / "export").exists()
    assert run_copy(plan).outcome == "completed", "the lock is free again once its holder ends"


def test_a_copy_killed_mid_file_is_finished_by_the_next_run(
        tmp_path: Path, plan_for, kill_while_partial) -> None:
    source = tmp_path / "export"
    source.mkdir()
    for index in range(3):
        (source / f"clip{index}.dav").write_bytes(os.urandom(3 << 20))
    case_dir = plan_for([source]).destination
    script = f"""
from workbench.cases import CaseData
from workbench.processing import plan_copy, run_copy
from workbench.templates import Template
case = CaseData.model_validate_json({plan_for([source]).case.model_dump_json()!r})
template = Template(id="t", name="t", levels=[{{"pattern": "{{occurrence}}"}}])
run_copy(plan_copy([{str(source)!r}], case, template, {str(tmp_path / "cases")!r}), workers=1)
"""
    kill_while_partial(script, case_dir)
    assert list(case_dir.rglob("*.partial")), "the kill left a partial"

    report = run_copy(plan_for([source]))

    assert report.outcome == "completed", report.to_frame()
    assert not list(case_dir.rglob("*.partial"))
    for index in range(3):
        name = f"clip{index}.dav"
        assert (case_dir / "export" / name).read_bytes() == (source / name).read_bytes()
    assert any(entry["event"] == "crash cleanup" for entry in custody(case_dir))

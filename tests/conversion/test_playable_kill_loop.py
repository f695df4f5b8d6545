"""Playable copies SIGKILLed at many instants (#21): the whole process tree (the run and its
remux workers) killed at a counted call of the run (a write, an fsync, a rename, a link, an
unlink) or at a moment while the workers copy. After each kill no derived file is published
that is not a whole, proven copy (the muxing is bit-exact: a published file has the bytes of an
undisturbed run's), the derived manifest and the custody log parse and agree with the disk,
and a re-run completes the record: every copy verified, no leftover, `verify_case` clean and
`b3sum --check` of the derived manifest passing."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import blake3
import pytest

from workbench.conversion import make_playable
from workbench.evidence.audit import verify_case
from workbench.evidence.layout import DERIVED_MANIFEST, derived_dir
from workbench.evidence.manifest import read_list

COUNTED = 8
"""Kills at a counted call of the run."""
TIMED = 4
"""Kills at a moment while the workers copy."""

CHILD = """
import json, os, signal, sys, threading, time
KILL_AT, KILL_AFTER = int(sys.argv[1]), float(sys.argv[2])
calls = [0]
lock = threading.Lock()

def hooked(name):
    real = getattr(os, name)
    def step(*args, **kwargs):
        with lock:
            calls[0] += 1
            if calls[0] == KILL_AT:
                os.killpg(0, signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(os, name, step)

for name in ("write", "fsync", "replace", "link", "unlink", "rename"):
    hooked(name)
if KILL_AFTER > 0:
    threading.Timer(KILL_AFTER, os.killpg, (0, signal.SIGKILL)).start()
from workbench.conversion import make_playable
began = time.monotonic()
report = make_playable(sys.argv[3], only_unplayable=False, workers=1)
print(json.dumps({"calls": calls[0], "seconds": time.monotonic() - began,
                  "outcome": report.outcome}))
"""


def run_child(case_dir: Path, kill_at: int = 0, kill_after: float = 0.0
              ) -> subprocess.CompletedProcess[str]:
    """The run in a process group of its own (killed whole, its workers with it)."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(kill_at), str(kill_after), str(case_dir)],
        capture_output=True, text=True, timeout=120, start_new_session=True)


def published(case_dir: Path) -> dict[str, str]:
    """Every file of the derived folder but its manifest and partials: path → blake3."""
    root = derived_dir(case_dir)
    return {path.relative_to(root).as_posix(): blake3.blake3(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()
            and path.name != DERIVED_MANIFEST and not path.name.endswith(".partial")}


def first_name(name: str) -> str:
    """The name a copy has in an undisturbed run (`x (2).mkv` is a later run's `x.mkv`)."""
    return re.sub(r" \(\d+\)(\.\w+)$", r"\1", name)


def check_record(case_dir: Path, reference: dict[str, str], instant: str) -> None:
    """What a kill leaves: published files are whole copies, the records parse and agree."""
    on_disk = published(case_dir)
    for name, digest in on_disk.items():
        assert reference.get(first_name(name)) == digest, (instant, name, "not a whole copy")
    manifest = derived_dir(case_dir) / DERIVED_MANIFEST
    listed = read_list(manifest) if manifest.exists() else {}
    assert all(on_disk.get(name) == digest for name, digest in listed.items()), instant
    custody = (case_dir / "_evidence" / "custody.jsonl").read_bytes()
    assert custody.endswith(b"\n"), instant
    for line in custody.splitlines():
        json.loads(line)


@pytest.mark.slow
def test_a_playable_run_killed_at_any_instant_is_completed_by_the_next_run(
        case_dir: Path, tmp_path: Path) -> None:
    dry_case = Path(shutil.copytree(case_dir, tmp_path / "dry", symlinks=True))
    dry = run_child(dry_case)
    assert dry.returncode == 0, dry.stderr[-3000:]
    counted = json.loads(dry.stdout.strip().splitlines()[-1])
    reference = published(dry_case)
    assert read_list(derived_dir(dry_case) / DERIVED_MANIFEST) == reference
    assert len(reference) >= 7
    total, seconds = counted["calls"], counted["seconds"]
    instants = [(1 + k * (total - 1) // (COUNTED - 1), 0.0) for k in range(COUNTED)] + [
        (0, seconds * (k + 1) / (TIMED + 1)) for k in range(TIMED)]
    killed = 0
    for kill_at, kill_after in instants:
        instant = f"call {kill_at}" if kill_at else f"{kill_after:.2f} s"
        killed_case = Path(shutil.copytree(case_dir, tmp_path / instant, symlinks=True))
        child = run_child(killed_case, kill_at, kill_after)
        killed += child.returncode == -signal.SIGKILL
        check_record(killed_case, reference, instant)

        report = make_playable(killed_case, only_unplayable=False, workers=1)

        assert {row.status for row in report.rows} <= {"lossless_verified", "partial"}, (
            instant, report.to_frame())
        assert not report.record_errors, instant
        made = published(killed_case)  # a second copy (x (2).mkv) only of one recorded
        assert read_list(derived_dir(killed_case) / DERIVED_MANIFEST) == made, instant
        assert {first_name(name) for name in made} == set(reference), instant
        assert len(made) in (len(reference), 2 * len(reference)), (instant, sorted(made))
        assert not list(derived_dir(killed_case).rglob("*.partial")), instant
        audit = verify_case(killed_case)
        assert audit.ok, (instant, audit.mismatches(), audit.problems)
        done = subprocess.run(["b3sum", "--check", DERIVED_MANIFEST], capture_output=True,
                              text=True, cwd=derived_dir(killed_case))
        assert done.returncode == 0, (instant, done.stdout, done.stderr)
        check_record(killed_case, reference, instant)
    assert killed >= len(instants) - 2, f"only {killed} of {len(instants)} runs were killed"

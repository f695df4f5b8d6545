"""Helpers of the kill loops (derived runs, the case report): a run in a process group of
its own, SIGKILLed whole (the run and its workers) at a counted call (a write, an fsync, a
rename, a link, an unlink) or at a moment; what a kill may leave and what a re-run must end with."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import blake3

from workbench.atomic import TEMP_SUFFIX
from workbench.evidence.audit import verify_case
from workbench.evidence.custody import PREVIOUS, line_sha256
from workbench.evidence.layout import DERIVED_MANIFEST, DERIVED_RUN_FILE, derived_dir, evidence_dir
from workbench.evidence.manifest import read_list
from workbench.hashing.partial import PARTIAL_SUFFIX

PRELUDE = """
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
began = time.monotonic()
"""
"""The child's start: `os` calls counted (killing the process group at call `KILL_AT`), or a
timer that kills it after `KILL_AFTER` seconds. The run's code follows and prints
`{"calls", "seconds", ...}` as its last line."""


def run_child(run: str, case_dir: Path, kill_at: int = 0, kill_after: float = 0.0,
              *more: str) -> subprocess.CompletedProcess[str]:
    """`PRELUDE` + `run` (which finds the case folder in `sys.argv[3]`, and `more` after it)
    in a process group of its own (killed whole, its workers with it)."""
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + run, str(kill_at), str(kill_after), str(case_dir),
         *more], capture_output=True, text=True, timeout=120, start_new_session=True)


def unfinished(name: str) -> bool:
    """A `.partial` or an atomic write's temp file: what a killed writer leaves."""
    return name.endswith(PARTIAL_SUFFIX) or (name.startswith(".") and name.endswith(TEMP_SUFFIX))


def published(case_dir: Path) -> dict[str, str]:
    """Every finished file of the derived folder but its manifest: path → blake3."""
    root = derived_dir(case_dir)
    return {path.relative_to(root).as_posix(): blake3.blake3(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()
            and path.name != DERIVED_MANIFEST and not unfinished(path.name)}


def leftovers(case_dir: Path) -> list[str]:
    """The unfinished files of the derived folder (none once a run ended)."""
    root = derived_dir(case_dir)
    return sorted(path.name for path in root.rglob("*") if unfinished(path.name))


def first_name(name: str) -> str:
    """The name a file has in an undisturbed run (`x (2).mkv` is a later run's `x.mkv`)."""
    return re.sub(r" \(\d+\)((\.segments)?\.\w+)$", r"\1", name)


def derived_lines(case_dir: Path) -> int:
    """The custody lines of derived runs that ended (made or cancelled)."""
    lines = (case_dir / "_evidence" / "custody.jsonl").read_bytes().splitlines()
    return sum(json.loads(line)["event"] == "derived" for line in lines)


def check_record(case_dir: Path, reference: dict[str, str], instant: str) -> None:
    """What a kill leaves: published files are whole (an undisturbed run's bytes), the derived
    manifest agrees with the disk, the custody log is whole lines each naming the hash of the
    one before."""
    on_disk = published(case_dir)
    for name, digest in on_disk.items():
        if first_name(name) == name or not name.endswith(".segments.json"):  # a renamed
            # sidecar names its renamed video
            assert reference.get(first_name(name)) == digest, (instant, name, "not whole")
    manifest = derived_dir(case_dir) / DERIVED_MANIFEST
    listed = read_list(manifest) if manifest.exists() else {}
    assert all(on_disk.get(name) == digest for name, digest in listed.items()), instant
    custody = (case_dir / "_evidence" / "custody.jsonl").read_bytes()
    assert custody.endswith(b"\n"), instant
    previous = ""
    for line in custody.splitlines():
        assert json.loads(line)[PREVIOUS] == previous, (instant, "custody chain broken")
        previous = line_sha256(line)


def check_rerun(case_dir: Path, reference: dict[str, str], recorded: int, instant: str
                ) -> None:
    """What the re-run after a kill must end with: every file of an undisturbed run (twice
    only when the killed run had written its custody line, `recorded`), the derived manifest
    listing exactly them, no partial nor temp file nor run record left, `verify_case` clean
    and `b3sum --check` of the derived manifest passing."""
    made = published(case_dir)
    assert read_list(derived_dir(case_dir) / DERIVED_MANIFEST) == made, instant
    assert {first_name(name) for name in made} == set(reference), (instant, sorted(made))
    assert len(made) == (1 + recorded) * len(reference), (instant, sorted(made))
    assert leftovers(case_dir) == [], instant
    assert not (evidence_dir(case_dir) / DERIVED_RUN_FILE).exists(), instant
    audit = verify_case(case_dir)
    assert audit.ok, (instant, audit.mismatches(), audit.problems)
    done = subprocess.run(["b3sum", "--check", DERIVED_MANIFEST], capture_output=True,
                          text=True, cwd=derived_dir(case_dir))
    assert done.returncode == 0, (instant, done.stdout, done.stderr)
    check_record(case_dir, reference, instant)

"""Playable copies SIGKILLed at many instants (#21): the whole process tree (the run and its
remux workers) killed at a counted call of the run (a write, an fsync, a rename, a link, an
unlink) or at a moment while the workers copy. After each kill no derived file is published
that is not a whole, proven copy (the muxing is bit-exact: a published file has the bytes of an
undisturbed run's), the derived manifest and the custody log parse and agree with the disk,
and a re-run completes the record: every copy verified, no leftover, `verify_case` clean and
`b3sum --check` of the derived manifest passing. A second copy (`x (2).mkv`) is made only of
a run whose custody line was written: one killed before it is finished, not repeated."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest
from kill_helpers import check_record, check_rerun, derived_lines, published, run_child

from workbench.conversion import make_playable
from workbench.evidence.layout import DERIVED_MANIFEST, derived_dir
from workbench.evidence.manifest import read_list

COUNTED = 8
"""Kills at a counted call of the run."""
TIMED = 4
"""Kills at a moment while the workers copy."""

RUN = """
from workbench.conversion import make_playable
report = make_playable(sys.argv[3], only_unplayable=False, workers=1)
print(json.dumps({"calls": calls[0], "seconds": time.monotonic() - began,
                  "outcome": report.outcome}))
"""


@pytest.mark.slow
def test_a_playable_run_killed_at_any_instant_is_completed_by_the_next_run(
        case_dir: Path, tmp_path: Path) -> None:
    dry_case = Path(shutil.copytree(case_dir, tmp_path / "dry", symlinks=True))
    dry = run_child(RUN, dry_case)
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
        child = run_child(RUN, killed_case, kill_at, kill_after)
        killed += child.returncode == -signal.SIGKILL
        check_record(killed_case, reference, instant)
        recorded = derived_lines(killed_case)  # the killed run's custody line, if written

        report = make_playable(killed_case, only_unplayable=False, workers=1)

        assert {row.status for row in report.rows} <= {"lossless_verified", "partial"}, (
            instant, report.to_frame())
        assert not report.record_errors, instant
        check_rerun(killed_case, reference, recorded, instant)
    assert killed >= len(instants) - 2, f"only {killed} of {len(instants)} runs were killed"

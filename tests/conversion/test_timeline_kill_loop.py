"""A timeline render SIGKILLed at many instants: the whole process tree (the run and its
render worker) killed at a counted call of the run (a write, an fsync, a rename, a link, an
unlink) or while the worker renders (once its partial holds a share of the video's bytes).
After each kill nothing is published that is not a whole render (the render is deterministic:
a published video has the bytes of an undisturbed run's), the derived manifest and the
custody chain agree with the disk; a re-run ends clean: no partial nor temp file left, the
manifest listing exactly what is there, `verify_case` and `b3sum --check` passing, and a
second video only when the killed run's custody line was written."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest
from kill_helpers import check_record, check_rerun, derived_lines, published, run_child

from workbench.conversion import render_timeline
from workbench.evidence.layout import DERIVED_MANIFEST, derived_dir
from workbench.evidence.manifest import read_list

pytestmark = pytest.mark.skipif(shutil.which("b3sum") is None, reason="needs b3sum")

COUNTED = 10
"""Kills at a counted call of the run."""
RENDERING = 4
"""Kills while the worker renders: once its partial holds 1/5, 2/5 ... of the video's bytes."""
WINDOW = ("2026-11-20T14:13:30", "2026-11-20T14:17:30")
"""Four minutes at 1 fps across ch02's gap: 240 frames, two tiles, a slate."""

RUN = f"""
KILL_AT_BYTES = int(sys.argv[4])

def watch():
    import glob
    while True:
        for path in glob.glob(os.path.join(sys.argv[3], "derived", "timeline", "*.partial")):
            try:
                if os.stat(path).st_size >= KILL_AT_BYTES:
                    os.killpg(0, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.002)

if KILL_AT_BYTES:
    threading.Thread(target=watch, daemon=True).start()
from workbench.conversion import render_timeline
video = render_timeline(sys.argv[3], *{WINDOW!r}, workers=1)
print(json.dumps({{"calls": calls[0], "seconds": time.monotonic() - began,
                  "outcome": video.outcome}}))
"""


@pytest.mark.slow
def test_a_render_killed_at_any_instant_is_completed_by_the_next_run(
        case_dir: Path, tmp_path: Path) -> None:
    dry_case = Path(shutil.copytree(case_dir, tmp_path / "dry", symlinks=True))
    dry = run_child(RUN, dry_case, 0, 0.0, "0")
    assert dry.returncode == 0, dry.stderr[-3000:]
    counted = json.loads(dry.stdout.strip().splitlines()[-1])
    assert counted["outcome"] == "completed"
    reference = published(dry_case)
    assert read_list(derived_dir(dry_case) / DERIVED_MANIFEST) == reference
    assert sorted(Path(name).suffix for name in reference) == [".json", ".mp4"]
    total = counted["calls"]
    size = next(path.stat().st_size for path in derived_dir(dry_case).rglob("*.mp4"))
    instants = [(1 + k * (total - 1) // (COUNTED - 1), 0) for k in range(COUNTED)] + [
        (0, size * (k + 1) // (RENDERING + 1)) for k in range(RENDERING)]
    killed = 0
    for kill_at, kill_at_bytes in instants:
        instant = f"call {kill_at}" if kill_at else f"{kill_at_bytes} bytes"
        killed_case = Path(shutil.copytree(case_dir, tmp_path / instant, symlinks=True))
        child = run_child(RUN, killed_case, kill_at, 0.0, str(kill_at_bytes))
        killed += child.returncode == -signal.SIGKILL
        check_record(killed_case, reference, instant)
        recorded = derived_lines(killed_case)  # the killed run's custody line, if written

        video = render_timeline(killed_case, *WINDOW, workers=1)

        assert video.outcome == "completed" and video.path is not None, instant
        entry = json.loads((killed_case / "_evidence/custody.jsonl").read_bytes()
                           .splitlines()[-1])
        assert entry["kind"] == "timeline" and entry["outputs"][0]["blake3"] == video.blake3
        check_rerun(killed_case, reference, recorded, instant)
    assert killed >= len(instants) - 2, f"only {killed} of {len(instants)} runs were killed"

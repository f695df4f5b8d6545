"""What a killed run making derived files leaves, and the re-run that finishes it: a file
published and listed in the derived manifest but named by no custody line is kept (its bytes
read back first) and its custody line written; the partials a dead run is proven to have left
are removed, any other stays."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from workbench.conversion import make_playable, render_timeline
from workbench.conversion.record import ADOPTED
from workbench.evidence.layout import DERIVED_MANIFEST, DERIVED_RUN_FILE
from workbench.evidence.manifest import read_list
from workbench.evidence.run_lock import RunOwner

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian ffmpeg")

WINDOW = ("2026-11-20T14:13:30", "2026-11-20T14:14:00")


def _playable(case_dir: Path) -> list[Path]:
    report = make_playable(case_dir, container="mp4", only_unplayable=False)
    assert report.outcome in ("completed", "completed_with_errors") and not report.record_errors
    return sorted(path for row in report.rows for path in (row.output, row.subtitles) if path)


def _timeline(case_dir: Path) -> list[Path]:
    video = render_timeline(case_dir, *WINDOW)
    assert video.path is not None and video.sidecar is not None
    return sorted([video.path, video.sidecar])


JOBS = pytest.mark.parametrize("job", [_playable, _timeline], ids=["playable", "timeline"])


def custody(case_dir: Path) -> list[dict[str, Any]]:
    text = (case_dir / "_evidence" / "custody.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def drop_last_custody_line(case_dir: Path) -> dict[str, Any]:
    """What a run killed after its manifest and before its custody line leaves."""
    log = case_dir / "_evidence" / "custody.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]))
    return json.loads(lines[-1])


def derived_files(case_dir: Path) -> list[str]:
    return sorted(path.relative_to(case_dir).as_posix()
                  for path in (case_dir / "derived").rglob("*") if path.is_file())


@JOBS
def test_a_run_killed_before_its_custody_line_is_recorded_not_made_twice(
        case_dir: Path, job: Callable[[Path], list[Path]]) -> None:
    made = job(case_dir)
    lost = drop_last_custody_line(case_dir)
    assert lost["event"] == "derived"
    files, manifest = derived_files(case_dir), read_list(case_dir / "derived" / DERIVED_MANIFEST)

    again = job(case_dir)

    assert again == made, "kept under its own name: no `x (2)` copy"
    assert derived_files(case_dir) == files
    assert read_list(case_dir / "derived" / DERIVED_MANIFEST) == manifest
    entry = custody(case_dir)[-1]
    assert entry["event"] == "derived" and entry["kind"] == lost["kind"]
    named = {output[key] for output in entry["outputs"] for key in ("path", "subtitles",
                                                                    "sidecar") if output.get(key)}
    assert named == {path.relative_to(case_dir).as_posix() for path in made}
    assert all(output["note"] == ADOPTED for output in entry["outputs"] if output["path"])
    audit = wb.verify_case(case_dir)  # the custody chain and the derived manifest agree
    assert audit.ok, (audit.mismatches(), audit.problems)
    assert {row.status for row in audit.derived} == {"ok"}
    assert not (case_dir / "_evidence" / DERIVED_RUN_FILE).exists()


@JOBS
def test_a_published_file_that_no_longer_holds_its_manifest_bytes_is_not_kept(
        case_dir: Path, job: Callable[[Path], list[Path]]) -> None:
    made = job(case_dir)
    drop_last_custody_line(case_dir)
    video = next(path for path in made if path.suffix == ".mp4")
    data = bytearray(video.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed since the manifest
    video.write_bytes(bytes(data))

    again = job(case_dir)

    assert video not in again and video.read_bytes() == bytes(data), "left as it is"
    assert any(path.name.endswith(" (2).mp4") for path in again)


def test_the_partials_a_dead_derived_run_left_are_removed_others_stay(case_dir: Path) -> None:
    folder = case_dir / "derived" / "playable" / "DVR_EXPORT" / "CAM01"
    folder.mkdir(parents=True)
    ours = folder / "ch01_20261120_140000_143000.mkv.partial"
    stray = folder / "someone_else.mkv.partial"
    temp = case_dir / "derived" / f".{DERIVED_MANIFEST}.k2j3h4.tmp"
    for path in (ours, stray, temp):
        path.write_bytes(b"half")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    owner = RunOwner(pid=dead.pid, host=socket.gethostname(), user="analyst",
                     started=datetime(2026, 11, 20, 14, tzinfo=timezone.utc),
                     partials=[ours.relative_to(case_dir).as_posix().removesuffix(".partial")],
                     temps=[f"derived/{DERIVED_MANIFEST}"])
    (case_dir / "_evidence" / DERIVED_RUN_FILE).write_text(owner.model_dump_json())

    report = make_playable(case_dir)

    assert not ours.exists() and not temp.exists()
    assert stray.read_bytes() == b"half", "not proven to be a partial of this tool's"
    cleanup = [entry for entry in custody(case_dir) if entry["event"] == "crash cleanup"]
    assert len(cleanup) == 1 and sorted(cleanup[0]["files"]) == sorted(
        path.relative_to(case_dir).as_posix() for path in (ours, temp))
    assert "interrupted run making derived files" in cleanup[0]["outcome"]
    row = next(r for r in report.rows if r.output and r.output.parent == folder)
    assert row.output == folder / "ch01_20261120_140000_143000.mkv"
    assert not (case_dir / "_evidence" / DERIVED_RUN_FILE).exists()

"""Bad input and faults: hostile clips, codecs a container cannot carry, a full disk, Cancel,
a read-only case folder, missing timestamps, damaged masters. No partial file is ever left,
nothing is called verified that was not proven, nothing is written beside the evidence."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import conversion_tasks
import filelock
import pytest
from conversion_helpers import DAV, framemd5, raw_h264, vp8_mkv

from workbench.conversion import make_playable, playable, render_timeline
from workbench.errors import ConversionError
from workbench.events import CancelToken
from workbench.evidence.layout import DERIVED_LOCK

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian ffmpeg")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.partial"))


def _only(folder: Path, *names: tuple[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in names:
        (folder / name).write_bytes(data)
    return folder


def test_a_crashing_decoder_costs_one_row_and_leaves_no_partial(
        case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playable, "remux_task", lambda: conversion_tasks.crash)
    report = make_playable(case_dir)
    made = [row for row in report.rows if row.status != "skipped"]
    assert made and {row.status for row in made} == {"error"}
    assert {(row.error.type, getattr(row.error, "signal", None))
            for row in made if row.error} == {("ProbeCrashed", "SIGSEGV")}
    assert all(row.output is None for row in made) and _leftovers(case_dir) == []
    assert not (case_dir / "derived" / "playable" / "DVR_EXPORT").exists()  # no empty folders
    assert not report.verified


def test_a_crash_in_a_batch_costs_only_the_hostile_clip_its_row(
        case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small clips are made in batches (one worker here: seven clips, batches of three); the
    batch the crash takes down is made again one clip at a time."""
    monkeypatch.setattr(playable, "remux_task", lambda: conversion_tasks.crash_on_dav)
    report = make_playable(case_dir, only_unplayable=False, workers=1)
    failed = [row for row in report.rows if row.status == "error"]
    assert [row.sources[0].as_posix() for row in failed] == [DAV]
    assert failed[0].error is not None and failed[0].error.type == "ProbeCrashed"
    assert {row.status for row in report.rows if row not in failed} <= {
        "lossless_verified", "partial"}
    assert len(report.rows) == 7 and _leftovers(case_dir) == []


@pytest.mark.parametrize("job", [
    make_playable,
    # the timeline holds the same lock: the two may share `out`, its partials and its manifest
    lambda case_dir: render_timeline(case_dir, "2026-11-20T14:13:30", "2026-11-20T14:17:30"),
], ids=["playable", "timeline"])
def test_a_second_run_while_one_makes_derived_files_is_a_typed_conflict(
        case_dir: Path, job: Callable[[Path], object]) -> None:
    with filelock.FileLock(case_dir / "_evidence" / DERIVED_LOCK, timeout=0), \
            pytest.raises(ConversionError) as refused:
        job(case_dir)
    assert refused.value.type == "Conflict"
    assert not list((case_dir / "derived").rglob("*.mkv*"))
    assert not list((case_dir / "derived").rglob("*.mp4*"))


def test_a_hanging_decoder_times_out(case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playable, "remux_task", lambda: conversion_tasks.hang)
    report = make_playable(case_dir, timeout=2)
    assert {row.error.type for row in report.rows if row.error} >= {"Timeout"}
    assert _leftovers(case_dir) == []


def test_cancel_mid_file_leaves_no_partial(case_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playable, "remux_task", lambda: conversion_tasks.hang)
    token = CancelToken()
    timer = threading.Timer(3.0, token.cancel)
    timer.start()
    report = make_playable(case_dir, cancel=token)
    timer.cancel()
    assert report.outcome == "cancelled" and not report.verified
    assert {row.status for row in report.rows} <= {"cancelled", "skipped"}
    assert all(row.output is None for row in report.rows)
    assert _leftovers(case_dir) == []


def test_a_full_disk_is_typed_and_leaves_nothing(case_dir: Path, tmpfs: object) -> None:
    small = tmpfs.mount("small", "size=64k")  # type: ignore[attr-defined]
    report = make_playable(case_dir, out=small)
    kinds = {row.error.type for row in report.rows if row.error}
    assert "DiskFull" in kinds
    assert _leftovers(small) == []


def test_read_only_case_folder_is_refused_or_written_elsewhere(
        case_dir: Path, tmpfs: object, tmp_path: Path) -> None:
    mount = tmpfs.mount("ro", "size=4m")  # type: ignore[attr-defined]
    case = Path(shutil.copytree(case_dir, mount / "case"))
    tmpfs.remount(mount, "ro")  # type: ignore[attr-defined]
    with pytest.raises(ConversionError) as refused:
        make_playable(case)
    assert refused.value.type == "PermissionDenied" and "out" in str(refused.value)
    report = make_playable(case, out=tmp_path / "elsewhere")
    row = next(r for r in report.rows if r.sources[0].as_posix() == DAV)
    assert row.status == "lossless_verified"
    assert row.output is not None and row.output.is_relative_to(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "manifest.blake3").is_file()
    assert (tmp_path / "elsewhere" / "custody.jsonl").is_file()  # the case log was read-only
    assert {e.type for e in report.record_errors} == {"PermissionDenied"}


def test_a_codec_mp4_cannot_carry_is_refused_not_reencoded(tmp_path: Path) -> None:
    folder = _only(tmp_path / "case")
    vp8_mkv(folder / "clip.mkv")
    refused = make_playable(folder, container="mp4", only_unplayable=False)
    assert refused.rows[0].status == "error" and refused.rows[0].error is not None
    assert refused.rows[0].error.type == "CodecNotCarried"
    assert "vp8" in str(refused.rows[0].error.describe())
    copied = make_playable(folder, container="mkv", only_unplayable=False)
    row = copied.rows[0]
    assert row.status == "lossless_verified" and row.output is not None
    assert framemd5(folder / "clip.mkv") == framemd5(row.output)


@pytest.mark.parametrize(("muxer", "name", "filled"), [
    ("h264", "ch01_20261120_140000.264", 1800),  # a raw stream: no timestamp at all
    ("mpeg", "ch01_20261120_140000.ps", 1768),  # MPEG-PS: a timestamp every few frames
])
def test_packets_without_timestamps_are_filled_and_flagged(
        case_dir: Path, tmp_path: Path, muxer: str, name: str, filled: int) -> None:
    folder = _only(tmp_path / muxer)
    raw_h264(case_dir / DAV, folder / name, muxer)
    report = make_playable(folder)
    row = report.rows[0]
    assert row.status == "lossless_verified" and row.filled_timestamps == filled
    assert row.packets == 1800
    assert any("the stream's own declared rate (1 fps): flagged, not measured" in note
               for note in row.notes)  # its VUI timing, never FFmpeg's default of 25
    assert row.output is not None
    copied = framemd5(row.output)
    assert int(copied[2][0]) - int(copied[1][0]) == 1  # one second apart (time base 1/1)
    assert [f[3] for f in framemd5(folder / name)] == [f[3] for f in framemd5(row.output)]


def test_a_truncated_dav_gives_a_partial_copy_with_its_missing_extent(case_dir: Path,
                                                                      tmp_path: Path) -> None:
    data = (case_dir / DAV).read_bytes()
    folder = _only(tmp_path / "cut", ("ch01_20261120_140000_143000.dav",
                                      data[: len(data) * 2 // 3 + 7]))
    report = make_playable(folder)
    row = report.rows[0]
    assert row.status == "partial" and row.output is not None
    assert row.missing_bytes is not None and row.missing_bytes > 0
    assert row.missing_from is not None and row.missing_from + row.missing_bytes == len(
        data) * 2 // 3 + 7
    assert 0 < row.packets < 1800
    assert not report.verified


def test_hostile_bytes_named_like_video_are_a_typed_row(tmp_path: Path) -> None:
    folder = _only(tmp_path / "hostile", ("ch01_20261120_140000.dav", os.urandom(50_000)),
                   ("ch02_20261120_140000.mp4", b"\0\0\0\x18ftypmp42" + os.urandom(9_000)))
    report = make_playable(folder, only_unplayable=False)
    assert {row.status for row in report.rows} == {"error"}
    assert all(row.error is not None and row.output is None for row in report.rows)
    assert _leftovers(folder) == [] and not report.verified

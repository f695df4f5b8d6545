"""Playable copies of the sample case: lossless and proven, with the real tools as oracles;
the master untouched; the derived record complete."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from conversion_helpers import (
    DAV,
    MP4,
    TRUNCATED,
    b3sum_check,
    ffprobe_streams,
    framemd5,
    sha256,
    subtitle_text,
)

import workbench as wb
from workbench.conversion import make_playable
from workbench.errors import ConversionError
from workbench.hashing.tree import hash_files

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian ffmpeg")


def _snapshot(case_dir: Path) -> dict[str, str]:
    return {p.relative_to(case_dir).as_posix(): sha256(p)
            for p in sorted((case_dir / "DVR_EXPORT").rglob("*")) if p.is_file()}


def test_dav_clips_become_proven_mkv_copies(case_dir: Path) -> None:
    before = _snapshot(case_dir)
    top = {entry.name for entry in case_dir.iterdir()}
    manifest_before = (case_dir / "_evidence" / "manifest.blake3").read_bytes()
    report = make_playable(case_dir)
    by_source = {row.sources[0].as_posix(): row for row in report.rows}
    dav = by_source[DAV]
    assert dav.status == "lossless_verified" and dav.packets == 1800
    assert dav.output == case_dir / "derived/playable" / DAV.replace(".dav", ".mkv")
    assert dav.cache_free and dav.exact_timestamps and dav.filled_timestamps == 0
    # the oracle: Debian's ffmpeg decodes the same frames, with the same timestamps
    assert framemd5(case_dir / DAV) == framemd5(dav.output)
    # a common MP4 plays as it is; the one whose index (moov) was lost is a partial copy of
    # the packets its mdat box still holds, with the missing extent: both said, neither silent
    assert by_source[MP4].status == "skipped"
    truncated = by_source[TRUNCATED]
    assert truncated.status == "partial" and truncated.output is not None
    assert truncated.packets == 158 and truncated.missing_bytes == 6643
    assert any("index (moov) is lost" in note for note in truncated.notes)
    frames = framemd5(truncated.output)
    assert len(frames) == 158 and int(frames[1][0]) - int(frames[0][0]) == 1  # at 1/4 fps
    assert report.outcome == "completed_with_errors" and not report.verified
    # the master is untouched; the evidence manifest knows nothing of the copies
    assert _snapshot(case_dir) == before
    assert {entry.name for entry in case_dir.iterdir()} == top | {"derived"}
    assert (case_dir / "_evidence" / "manifest.blake3").read_bytes() == manifest_before
    # blake3 of the master in the same read as its packets = the case manifest's
    listed = dict(line.split("  ", 1)[::-1] for line in
                  (case_dir / "_evidence/manifest.blake3").read_text().splitlines())
    assert dav.source_blake3 == [listed[DAV]]
    # the derived folder's own manifest checks with b3sum; the custody line says it all
    assert "OK" in b3sum_check(case_dir / "derived" / "manifest.blake3")
    entry = json.loads((case_dir / "_evidence/custody.jsonl").read_text().splitlines()[-1])
    assert entry["event"] == "derived" and entry["kind"] == "playable"
    assert "FFmpeg" in entry["ffmpeg"] and entry["settings"]["container"] == "mkv"
    made = next(o for o in entry["outputs"] if o["sources"][0]["path"] == DAV)
    assert made["blake3"] == dav.output_blake3 and made["sources"][0]["blake3"] == listed[DAV]


def test_subtitles_carry_the_recorder_and_real_clock(case_dir: Path) -> None:
    report = make_playable(case_dir)
    output = next(row.output for row in report.rows if row.sources[0].as_posix() == DAV)
    assert output is not None
    assert ffprobe_streams(output) == ["video,h264", "subtitle,subrip"]
    text = subtitle_text(output)
    assert "DVR 2026-11-20 14:00:00\nReal 2026-11-20 13:55:30" in text
    assert "DVR 2026-11-20 14:29:59\nReal 2026-11-20 14:25:29" in text


def test_verify_case_checks_derived_files_apart_from_the_evidence(case_dir: Path) -> None:
    made = make_playable(case_dir)
    audit = wb.verify_case(case_dir)
    assert audit.ok
    assert "extra" not in set(audit.to_frame()["status"])
    assert len(audit.derived) == 4 and {r.status for r in audit.derived} == {"ok"}
    output = next(row.output for row in made.rows if row.output is not None)
    output.write_bytes(output.read_bytes()[:-1] + b"\0")
    audit = wb.verify_case(case_dir)
    assert not audit.ok
    assert set(audit.to_frame()["status"]) == {"ok"}  # the evidence itself is fine
    assert "modified" in set(audit.derived_frame()["status"])
    assert _last_custody(case_dir)["outcome"] == "problems found"  # the record says the same


def test_an_audit_cancelled_in_the_derived_files_records_nothing(case_dir: Path) -> None:
    make_playable(case_dir)
    log = case_dir / "_evidence" / "custody.jsonl"
    before = log.read_bytes()
    token = wb.CancelToken()
    real = hash_files

    def cancel_then_hash(*args: Any, **kwargs: Any) -> Any:
        token.cancel()
        return real(*args, **kwargs)

    with patch("workbench.evidence.audit.derived.hash_files", cancel_then_hash):
        audit = wb.verify_case(case_dir, cancel=token)
    assert audit.outcome == "cancelled" and not audit.ok
    assert log.read_bytes() == before


def _last_custody(case_dir: Path) -> dict[str, Any]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    entry: dict[str, Any] = json.loads(lines[-1])
    return entry


def test_all_clips_to_mp4_with_srt_beside_and_deep_frame_check(case_dir: Path) -> None:
    report = make_playable(case_dir, container="mp4", only_unplayable=False, deep=True)
    row = next(r for r in report.rows if r.sources[0].as_posix() == MP4)
    assert row.status == "lossless_verified" and row.frames_compared == row.packets == 300
    assert row.subtitles is not None and row.subtitles.suffix == ".srt"
    assert row.subtitles.read_text().startswith("1\n00:00:00,000 --> 00:00:01,000\nDVR ")
    # decoded frames equal (MP4's edit list moves Debian ffmpeg's clock; the pictures agree)
    assert [f[3] for f in framemd5(case_dir / MP4)] == [f[3] for f in framemd5(row.output)]
    listed = (case_dir / "derived/manifest.blake3").read_text()
    assert row.subtitles.name in listed and row.output.name in listed


def test_join_makes_one_file_per_camera_with_chapters(case_dir: Path) -> None:
    report = make_playable(case_dir, join=True)
    joined = next(row for row in report.rows if row.camera == "ch01")
    assert joined.status == "lossless_verified" and len(joined.sources) == 3
    assert joined.packets == 5400 and joined.chapters == 3
    sources = [case_dir / s for s in joined.sources]
    expected = [frame for source in sources for frame in framemd5(source)]
    assert framemd5(joined.output) == expected
    assert not any("window" in note for note in joined.notes)  # all inside 14:00-15:30


def test_a_join_says_why_a_new_file_starts_and_which_clips_lie_outside_the_window(
        case_dir: Path) -> None:
    report = make_playable(case_dir, join=True, only_unplayable=False)
    ch02 = [row for row in report.rows if row.camera == "ch02"]
    assert [len(row.sources) for row in ch02] == [3, 1]
    # the truncated clip's parameters are unknown (its index is lost), not different
    assert any(note.startswith(f"{TRUNCATED} has codec parameters that could not be read "
                               "(Truncated)") for note in ch02[0].notes), ch02[0].notes
    assert any(note.endswith("wholly outside the case's video window: "
                             "NVR_ch2_main_20261120090000_20261120091000.mp4")
               for note in ch02[0].notes), ch02[0].notes


def test_existing_names_are_never_overwritten(case_dir: Path) -> None:
    taken = case_dir / "derived/playable/DVR_EXPORT/CAM01/ch01_20261120_140000_143000.mkv"
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"someone else's file")
    report = make_playable(case_dir)
    row = next(r for r in report.rows if r.sources[0].as_posix() == DAV)
    assert row.output == taken.with_name("ch01_20261120_140000_143000 (2).mkv")
    assert taken.read_bytes() == b"someone else's file"
    again = next(r for r in make_playable(case_dir).rows if r.sources[0].as_posix() == DAV)
    assert again.output == taken.with_name("ch01_20261120_140000_143000 (3).mkv")
    assert again.output_blake3 == row.output_blake3  # bit-exact: the same copy, byte for byte


def test_out_beside_the_evidence_is_refused(case_dir: Path) -> None:
    with pytest.raises(ConversionError) as caught:
        make_playable(case_dir, out=case_dir / "DVR_EXPORT" / "playable")
    assert caught.value.type == "ValidationError"
    assert not (case_dir / "DVR_EXPORT" / "playable").exists()


def test_bad_arguments_are_typed(tmp_path: Path, case_dir: Path) -> None:
    with pytest.raises(ConversionError) as missing:
        make_playable(tmp_path / "nowhere")
    assert missing.value.type == "PathNotFound"
    with pytest.raises(ConversionError) as container:
        make_playable(case_dir, container="avi")  # type: ignore[arg-type]
    assert container.value.type == "ValidationError"
    for settings, field in (({"workers": 0}, "workers"), ({"timeout": 0}, "timeout")):
        with pytest.raises(ConversionError) as pool:
            make_playable(case_dir, **settings)
        assert pool.value.type == "ValidationError" and field in str(pool.value)

"""The probe on the sample export and on hostile input: every file a row, nothing raised,
nothing in the evidence changed."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from media_helpers import SAMPLE_DAV, SAMPLE_MP4, TRUNCATED_MP4, remux, snapshot, write_wav

from workbench.errors import MediaError
from workbench.media import MediaReport, probe_media
from workbench.media.decode import ProbeRequest, probe, probe_of
from workbench.media.decode.probe import probe_file


def row_of(report: MediaReport, relative: str):
    (row,) = [row for row in report.rows if row.relative.as_posix() == relative]
    return row


def test_sample_clips_are_described(sample_report: MediaReport) -> None:
    mp4 = row_of(sample_report, SAMPLE_MP4)
    assert (mp4.kind, mp4.video_codec, mp4.video_profile, mp4.width, mp4.height) == (
        "video", "h264", "High", 192, 108)
    assert mp4.container is not None and "mp4" in mp4.container
    assert mp4.duration_s == pytest.approx(1200)
    assert mp4.avg_frame_rate == pytest.approx(0.25) and mp4.frame_count == 300
    assert mp4.first_frame_decodes is True and mp4.problem is None
    assert mp4.creation_time == "2026-11-20T14:00:00.000000Z"
    assert (mp4.camera, mp4.time_source, mp4.pattern) == ("ch02", "filename",
                                                          "nvr-channel-stream-range")
    assert (mp4.recorder_start, mp4.recorder_end) == (datetime(2026, 11, 20, 14, 0),
                                                      datetime(2026, 11, 20, 14, 20))
    dav = row_of(sample_report, SAMPLE_DAV)
    assert (dav.container, dav.video_codec, dav.avg_frame_rate) == ("dhav", "h264", 1.0)
    assert dav.container_time == datetime(2026, 11, 20, 14, 0)  # the DVR's own clock
    assert dav.camera == "ch01" and dav.duration_s == pytest.approx(1799)
    info = row_of(sample_report, "export_info.txt")
    assert (info.kind, info.problem, info.camera, info.time_source) == ("other", None, "", None)


def test_real_time_is_recorder_time_minus_the_offset(sample_report: MediaReport) -> None:
    frame = sample_report.to_frame().set_index("relative")
    row = frame.loc[SAMPLE_MP4]
    assert row["recorder_start"] - row["real_start"] == timedelta(minutes=4, seconds=30)
    assert list(sample_report.problems()["relative"]) == [TRUNCATED_MP4]


def test_the_lost_moov_is_a_truncated_row(sample_report: MediaReport) -> None:
    row = row_of(sample_report, TRUNCATED_MP4)
    assert row.kind == "video" and row.problem is not None
    assert row.problem.type == "Truncated" and "moov" in row.problem.describe()
    assert row.recorder_start == datetime(2026, 11, 20, 15, 10)  # still on the timeline
    assert row.thumbnail is None


def test_a_source_folder_is_left_exactly_as_it_was(tmp_path: Path, sample_dir: Path,
                                                   workbench_home: Path) -> None:
    source = tmp_path / "usb"
    source.mkdir()
    for path in sample_dir.rglob("*"):
        if path.is_file():
            target = source / path.relative_to(sample_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    before = snapshot(source)
    report = probe_media(source)
    assert snapshot(source) == before  # bytes, sizes, mtimes; and no file was added
    assert report.keyframes is not None and source not in report.keyframes.parents
    assert report.keyframes.parent == workbench_home / "cache" / "keyframes"
    assert len([row for row in report.rows if row.thumbnail is not None]) == 6


def test_hostile_files_are_rows_never_exceptions(tmp_path: Path, sample_dir: Path) -> None:
    root = tmp_path / "hostile"
    root.mkdir()
    (root / "empty.mp4").write_bytes(b"")
    (root / "empty.txt").write_bytes(b"")
    (root / "random.mp4").write_bytes(os.urandom(50_000))
    good = (sample_dir / SAMPLE_MP4).read_bytes()
    (root / "moov-missing.mp4").write_bytes(good[: len(good) // 2])
    (root / "player.exe").write_bytes(b"MZ" + os.urandom(4000))
    remux(sample_dir / SAMPLE_MP4, root / "untimed clip.mp4", {"title": "no pattern here"})
    (root / "elsewhere.mp4").symlink_to(sample_dir / SAMPLE_MP4)  # a link may lead anywhere
    os.mkfifo(root / "pipe.mp4")  # reading it would block forever
    before = snapshot(root)
    report = probe_media(root)
    assert snapshot(root) == before
    rows = {row.relative.as_posix(): row for row in report.rows}
    assert len(rows) == 8
    for name, kind in (("elsewhere.mp4", "symbolic link"), ("pipe.mp4", "fifo")):
        row = rows.pop(name)
        assert row.problem is not None and row.problem.type == "Unsupported"
        assert row.problem.kind == kind and row.video_codec is None
    kinds = {name: (row.kind, row.problem.type if row.problem else None)
             for name, row in rows.items()}
    assert kinds == {
        "empty.mp4": ("video", "NotMedia"),
        "empty.txt": ("other", None),
        "random.mp4": ("video", "NotMedia"),
        "moov-missing.mp4": ("video", "Truncated"),
        "player.exe": ("other", None),
        "untimed clip.mp4": ("video", None),
    }
    untimed = rows["untimed clip.mp4"]
    assert untimed.time_source is None and untimed.recorder_start is None
    assert untimed.camera == "(no camera)" and untimed.first_frame_decodes is True


def test_control_characters_and_a_huge_tag_are_kept_short(tmp_path: Path,
                                                         sample_dir: Path) -> None:
    clip = remux(sample_dir / SAMPLE_MP4, tmp_path / "tags.mp4", {
        "title": "evil\x1b[31m<script>alert(1)</script>\x07",
        "comment": "A" * 100_000,
    })
    result = probe_file(ProbeRequest(str(clip)))
    tags = probe_of(result.probe).tags
    assert tags["title"].startswith("evil\x1b[31m<script>")
    assert len(tags["comment"]) < 1100 and tags["comment"].endswith("more characters]")
    assert "98,976 more" in tags["comment"]


def test_a_file_that_changes_while_it_is_read_is_reported(tmp_path: Path, sample_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    clip = tmp_path / "growing.mp4"
    clip.write_bytes((sample_dir / SAMPLE_MP4).read_bytes())
    original = probe._probe

    def probe_then_append(path: str, size: int, width: int):
        found = original(path, size, width)
        with open(path, "ab") as handle:  # noqa: PTH123 - the recorder still writing
            handle.write(b"\0" * 1000)
        return found

    monkeypatch.setattr(probe, "_probe", probe_then_append)
    result = probe_file(ProbeRequest(str(clip), (240, 135)))
    found = probe_of(result.probe)
    assert found.problem is not None and found.problem.type == "ChangedWhileRead"
    assert found.problem.actual_size == found.problem.expected_size + 1000
    assert result.thumbnail is None and found.video_codec is None  # nothing kept


def test_a_file_gone_before_it_is_read(tmp_path: Path) -> None:
    found = probe_of(probe_file(ProbeRequest(str(tmp_path / "gone.mp4"))).probe)
    assert found.problem is not None and found.problem.type == "PathNotFound"


def test_five_hundred_files_that_are_not_media(tmp_path: Path) -> None:
    root = tmp_path / "logs"
    root.mkdir()
    for number in range(500):
        (root / f"log{number:03d}.txt").write_bytes(f"line {number}\n".encode() * 20)
    before = snapshot(root)
    report = probe_media(root, thumbnails=False)
    assert snapshot(root) == before
    assert len(report.rows) == 500 and {row.kind for row in report.rows} == {"other"}
    assert report.problems().empty and report.media() == []


def test_sound_and_still_images(tmp_path: Path, sample_dir: Path) -> None:
    from PIL import Image

    write_wav(tmp_path / "door.wav")
    Image.new("RGB", (32, 24), "red").save(tmp_path / "snapshot.png")
    report = probe_media(tmp_path)
    rows = {row.relative.name: row for row in report.rows}
    wav = rows["door.wav"]
    assert (wav.kind, wav.audio_codec, wav.audio_rate, wav.audio_channels) == (
        "audio", "pcm_s16le", 8000, 1)
    assert wav.duration_s == pytest.approx(1.0) and wav.first_frame_decodes is None
    png = rows["snapshot.png"]
    assert (png.kind, png.width, png.height, png.video_codec) == ("image", 32, 24, "png")


def test_files_given_one_by_one(sample_dir: Path) -> None:
    report = probe_media([sample_dir / SAMPLE_MP4, sample_dir / SAMPLE_DAV])
    assert report.root is None
    assert [row.relative.as_posix() for row in report.rows] == [
        Path(SAMPLE_MP4).name, Path(SAMPLE_DAV).name]
    assert [row.camera for row in report.rows] == ["ch02", "ch01"]


def test_bad_arguments_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(MediaError) as missing:
        probe_media(tmp_path / "nowhere")
    assert missing.value.payload.type == "PathNotFound"
    with pytest.raises(MediaError) as workers:
        probe_media(tmp_path, workers=0)
    assert workers.value.payload.type == "ValidationError"
    with pytest.raises(MediaError) as timeout:
        probe_media(tmp_path, timeout=0)
    assert timeout.value.payload.type == "ValidationError"
    with pytest.raises(MediaError) as listed:
        probe_media([tmp_path / "a.mp4"])
    assert listed.value.payload.type == "PathNotFound"

"""Line logs (custody log, batch journal): appended durably, a torn last line closed first."""

from __future__ import annotations

from pathlib import Path

from workbench.atomic import append_line, temp_files, write_temp


def test_lines_are_appended_one_per_record(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    append_line(log, b'{"n": 1}')
    append_line(log, b'{"n": 2}')
    assert log.read_bytes() == b'{"n": 1}\n{"n": 2}\n'


def test_a_line_torn_by_a_crash_stays_apart_from_the_next(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b'{"n": 1}\n{"n": 2, "ha')
    append_line(log, b'{"n": 3}')
    assert log.read_bytes().splitlines() == [b'{"n": 1}', b'{"n": 2, "ha', b'{"n": 3}']


def test_the_temp_files_a_killed_writer_left_are_found_by_the_name_they_serve(
        tmp_path: Path) -> None:
    target = tmp_path / "manifest.blake3"
    left = write_temp(target, b"half", 0o644)  # what a writer killed before its rename leaves
    for name in ("manifest.blake3", ".manifest.blake3x.abc.tmp", ".other.abc.tmp",
                 ".manifest.blake3.abc.partial"):
        (tmp_path / name).write_bytes(b"not a temp of the manifest")
    assert temp_files(target) == [left]
    assert temp_files(tmp_path / "missing" / "x") == []

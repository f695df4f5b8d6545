"""Line logs (custody log, batch journal): appended durably, a torn last line closed first."""

from __future__ import annotations

from pathlib import Path

from workbench.atomic import append_line


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

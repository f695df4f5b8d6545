"""`workbench playable` and `workbench timeline` on the sample case: a table, one line per
problem, exit codes (0 all proven, 1 something not, 2 bad input)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.cli import main

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs Debian ffmpeg")


def test_playable_joined_and_timeline(case_dir: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    assert main(["playable", str(case_dir), "--join"]) == 1  # the damaged MP4: partial
    out = capsys.readouterr().out
    assert "ch01_joined_20261120_140000.mkv" in out and "lossless_verified" in out
    assert "partial" in out and "index (moov) is lost" in out
    moov = next(line for line in out.splitlines() if "index (moov) is lost" in line)
    assert moov.count(".mp4") == 1  # a note naming its clip is not prefixed with it again
    assert main(["timeline", str(case_dir), "--from", "2026-11-20T14:15:00", "--to",
                 "2026-11-20T14:16:00"]) == 0
    out = capsys.readouterr().out
    assert "timeline_20261120_141500_141600.mp4 (60 frames, 2 camera(s), 1 fps" in out
    assert "ch02: no recording 14:15:30–14:16:00 (real time)" in out
    assert "not evidence" in out


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    assert main(["playable", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error [PathNotFound]") and err.count("\n") == 1
    assert main(["timeline", str(tmp_path), "--from", "later", "--to", "2026-11-20"]) == 2
    assert capsys.readouterr().err.startswith("error [ValidationError]")

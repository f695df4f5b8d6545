"""The CLI's answers to what an analyst types: every problem named, dates in the forms people
type (never guessed), CLI words, one line and nothing else before a refusal, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import DEMO_CASE, main
from workbench.preferences import Preferences, save_preferences

SLASHED = {"occurrence": "2026-004512", "business": "Corner Store",
           "video_start": "03/04/2026 14:00", "video_end": "03/04/2026 15:30"}
"""A case typed with slashed dates: the 3rd of April (DMY) or the 4th of March (MDY)."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def case_file(tmp_path: Path, data: dict[str, str]) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_every_problem_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = case_file(tmp_path, {"occurrence": " ", "video_start": "tomorrow",
                                "colour": "red"})
    code, out, err = run(capsys, "resolve", "--case", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "more problem" not in err
    for field in ("occurrence", "video_start", "colour"):
        assert f"invalid {field}:" in err.lower()


def test_a_slashed_date_without_an_order_is_refused_with_the_forms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "resolve", "--case", str(case_file(tmp_path, SLASHED)))
    assert code == 2 and out == ""
    assert "could be day/month or month/day" in err
    assert "DD/MM/YYYY HH:MM" in err and "MM/DD/YYYY HH:MM" in err and "YYYY-MM-DD" in err


@pytest.mark.parametrize(("order", "folder"), [("DMY", "2026-04-03_1400"),
                                               ("MDY", "2026-03-04_1400")])
def test_the_date_order_reads_slashed_dates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, order: str, folder: str
) -> None:
    code, out, err = run(capsys, "resolve", "--case", str(case_file(tmp_path, SLASHED)),
                         "--date-order", order)
    assert code == 0, err
    assert folder in out


def test_the_date_order_comes_from_the_preferences(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    save_preferences(Preferences(date_order="DMY"))
    code, out, _ = run(capsys, "resolve", "--case", str(case_file(tmp_path, SLASHED)))
    assert code == 0 and "2026-04-03_1400" in out
    code, out, _ = run(capsys, "resolve", "--case", str(case_file(tmp_path, SLASHED)),
                       "--date-order", "MDY")
    assert code == 0 and "2026-03-04_1400" in out


def test_a_date_impossible_in_its_order_names_the_form(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = case_file(tmp_path, {**SLASHED, "video_start": "25/11/2026 14:00",
                                "video_end": "25/11/2026 15:00"})
    code, _, err = run(capsys, "resolve", "--case", str(path), "--date-order", "MDY")
    assert code == 2 and "is not a date in MM/DD/YYYY HH:MM" in err
    code, out, _ = run(capsys, "resolve", "--case", str(path), "--date-order", "DMY")
    assert code == 0 and "2026-11-25_1400" in out


@pytest.mark.parametrize("verb", ["report", "verify", "export"])
def test_a_folder_that_is_not_a_case_folder_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, verb: str
) -> None:
    (tmp_path / "footage.dav").write_bytes(b"not a case")
    extra = ["--format", "zip", "--out", str(tmp_path / "out")] if verb == "export" else []
    code, out, err = run(capsys, verb, str(tmp_path), *extra)
    assert code == 2 and out == ""
    assert err.startswith("error [NotACaseFolder]:") and "is not a case folder" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "_evidence").exists() and not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--workdir", str(work)]) == 0
    return next((work / "cases").glob("*/*/*"))


def test_an_export_refused_prints_its_one_line_in_cli_words(
    demo_case: Path, tmp_path: Path
) -> None:
    (demo_case / "added later.txt").write_text("not in the record", encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "workbench.cli", "export", str(demo_case), "--format", "zip",
             "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    finally:
        (demo_case / "added later.txt").unlink()
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error [AuditFailed]:")
    assert "--allow-failed" in result.stderr and "allow_failed" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_batch_reads_slashed_dates_by_its_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "export"
    source.mkdir()
    (source / "clip.dav").write_bytes(b"x" * 100)
    csv = tmp_path / "cases.csv"
    csv.write_text("occurrence,business,video_start,sources,destination\n"
                   f"{DEMO_CASE.occurrence},Corner Store,03/04/2026 14:00,{source},"
                   f"{tmp_path / 'cases'}\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", str(csv))
    assert code == 1 and "could be day/month or month/day" in err
    code, out, err = run(capsys, "batch", str(csv), "--date-order", "DMY")
    assert code == 0, err
    assert "1 to copy" in out

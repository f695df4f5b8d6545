"""The `workbench` command: happy paths, and bad input as one line with a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import DEMO_CASE, main
from workbench.hashing import platform
from workbench.samples import make_sample_evidence


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(DEMO_CASE.model_dump_json(), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_templates_list_shows_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "list")
    assert code == 0
    assert "default" in out


def test_templates_show_unknown_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "templates", "show", "no-such-template")
    assert code == 2 and out == ""
    assert err.startswith("error [NotFound]:") and err.count("\n") == 1


def test_resolve_prints_the_tree(capsys: pytest.CaptureFixture[str], case_file: Path) -> None:
    code, out, _ = run(capsys, "resolve", "--case", str(case_file), "--template", "default")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2026-004512/"
    assert any("Corner Store" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("content", "tag"),
    [
        ('{"occurrence": ""}', "ValidationError"),
        ('{"occurrence": "1", "colour": "red"}', "ValidationError"),
        ("not json", "CorruptFile"),
    ],
)
def test_invalid_case_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, tag: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "resolve", "--case", str(bad))
    assert code == 2
    assert err.startswith(f"error [{tag}]:") and "Traceback" not in err


def test_missing_case_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "resolve", "--case", str(tmp_path / "nope.json"))
    assert code == 2 and err.startswith("error [PathNotFound]:")


def test_copy_verify_and_tamper(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case_file: Path
) -> None:
    export = make_sample_evidence(tmp_path / "export")
    dest = tmp_path / "cases"
    code, out, _ = run(capsys, "copy", "--case", str(case_file), "--dest", str(dest),
                       "--algorithm", "sha256", str(export))
    assert code == 0, out
    assert "outcome: completed" in out
    (case_dir,) = {p.parent for p in dest.rglob("_evidence")}
    assert run(capsys, "verify", str(case_dir))[0] == 0

    victim = next(p for p in case_dir.rglob("*") if p.is_file() and "_evidence" not in p.parts
                  and "ascmhl" not in p.parts)
    victim.chmod(0o644)
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    code, out, _ = run(capsys, "verify", str(case_dir))
    assert code == 1 and "modified" in out


def test_copy_missing_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case_file: Path
) -> None:
    code, _, err = run(capsys, "copy", "--case", str(case_file), "--dest", str(tmp_path / "d"),
                       str(tmp_path / "absent"))
    assert code == 2 and err.startswith("error [PathNotFound]:")
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").rglob("*.partial"))


def test_verify_folder_without_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "verify", str(tmp_path))
    assert code == 2 and err.startswith("error [")


def test_schema_writes_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "schema", "--out", str(tmp_path))
    assert code == 0
    assert json.loads((tmp_path / "CaseData.json").read_text())["title"] == "CaseData"
    assert len(out.splitlines()) == len(list(tmp_path.glob("*.json")))


def test_demo_end_to_end(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "demo", "--workdir", str(tmp_path))
    assert code == 0, out
    assert "audit of" in out and ": OK" in out
    assert "report:" in out


def test_console_script_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "verify", str(tmp_path / "nowhere")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("cache_free", [True, False])
def test_a_read_back_that_may_come_from_memory_is_said_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case_file: Path,
    monkeypatch: pytest.MonkeyPatch, cache_free: bool,
) -> None:
    monkeypatch.setattr(platform.SYSTEM.__class__, "cache_free", property(lambda _: cache_free))
    export = make_sample_evidence(tmp_path / "export")
    code, out, _ = run(capsys, "copy", "--case", str(case_file), "--dest",
                       str(tmp_path / "cases"), str(export))
    assert code == 0
    (case_dir,) = {p.parent for p in (tmp_path / "cases").rglob("_evidence")}
    code, audit, _ = run(capsys, "verify", str(case_dir))
    assert code == 0
    for shown in (out, audit):
        assert ("possibly from memory" in shown) is not cache_free

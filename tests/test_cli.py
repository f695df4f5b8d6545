"""The `workbench` command: happy paths, and bad input as one line with a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import DEMO_CASE, main
from workbench.cli.console import exit_code
from workbench.errors import (
    AuditFailed,
    Cancelled,
    Conflict,
    DiskFull,
    ErrorPayload,
    IoError,
    NotFound,
    PathNotFound,
    WorkbenchError,
)
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


def test_verify_against_a_foreign_list(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    export = make_sample_evidence(tmp_path / "usb")
    names = sorted(p.relative_to(export).as_posix() for p in export.rglob("*") if p.is_file())
    listing = tmp_path / "delivery.md5"
    with listing.open("wb") as out:
        subprocess.run(["md5sum", "--", *names], cwd=export, stdout=out, check=True)
    code, out, _ = run(capsys, "verify", str(export), "--against", str(listing))
    assert code == 0 and "OK" in out and "record: checksums" in out
    (export / names[0]).write_bytes(b"tampered")
    code, out, _ = run(capsys, "verify", str(export), "--against", str(listing))
    assert code == 1 and "FAILED" in out and names[0] in out and "modified" in out
    code, _, err = run(capsys, "verify", str(export), "--against", str(tmp_path / "gone.md5"))
    assert code == 2 and err.startswith("error [PathNotFound]:")


def test_compare_two_folders(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first = make_sample_evidence(tmp_path / "a")
    second = make_sample_evidence(tmp_path / "b")
    code, out, _ = run(capsys, "compare", str(first), str(second))
    assert code == 0 and "SAME" in out
    victim = next(p for p in second.rglob("*") if p.is_file())
    victim.unlink()
    code, out, _ = run(capsys, "compare", str(first), str(second))
    assert code == 1 and "DIFFERENT" in out and "only_in_a" in out
    code, _, err = run(capsys, "compare", str(first), str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("error [PathNotFound]:")


def test_schema_writes_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "schema", "--out", str(tmp_path))
    assert code == 0
    assert json.loads((tmp_path / "CaseData.json").read_text())["title"] == "CaseData"
    assert len(out.splitlines()) == len(list(tmp_path.glob("*.json")))


def test_demo_end_to_end(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "demo", "--workdir", str(tmp_path))
    assert code == 0, out
    assert "audit of" in out and ": OK" in out
    assert "footage: 8 files, 7 video, 2 cameras, 1 with problems" in out
    assert "ch02: 4 clips; 77.8% of the window recorded; 55.6% playable; gap 14:20:00–14:40:00" \
        in out
    assert "problem [Truncated]: usb-export/CAM02/NVR_ch2_main_20261120151000" in out
    assert "report:" in out
    (html,) = tmp_path.rglob("_evidence/report.html")
    assert "Footage coverage" in html.read_text() and "Contact sheet" in html.read_text()


def test_media_table_outputs_and_exit_codes(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path, case_file: Path) -> None:
    export = make_sample_evidence(tmp_path / "export")
    outputs = {name: tmp_path / "out" / name for name in ("t.png", "s.jpg", "f.html")}
    code, out, _ = run(capsys, "media", str(export), "--case", str(case_file),
                       "--png", str(outputs["t.png"]), "--sheet", str(outputs["s.jpg"]),
                       "--html", str(outputs["f.html"]))
    assert code == 1, out  # one clip has a problem
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["file", "camera", "kind", "codec"]
    assert any("ch01_20261120_140000_143000.dav" in line and "192x108" in line for line in lines)
    assert any(line.rstrip().endswith("Truncated") for line in lines)
    assert outputs["t.png"].read_bytes().startswith(b"\x89PNG")
    assert outputs["s.jpg"].read_bytes().startswith(b"\xff\xd8\xff")  # JPEG
    assert "Footage report" in outputs["f.html"].read_text()
    assert not any(export.rglob("_evidence"))  # a source folder gets nothing written into it
    (export / "CAM02" / "NVR_ch2_main_20261120151000_20261120153000.mp4").unlink()
    assert run(capsys, "media", str(export))[0] == 0
    code, _, err = run(capsys, "media", str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("error [PathNotFound]:")


def test_console_script_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "verify", str(tmp_path / "nowhere")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_export_writes_a_verified_zip_and_bag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "demo", "--workdir", str(tmp_path / "demo"))
    assert code == 0
    case_dir = next((tmp_path / "demo" / "cases").glob("*/*/*"))
    for fmt in ("zip", "bagit"):
        code, out, err = run(capsys, "export", str(case_dir), "--format", fmt,
                             "--out", str(tmp_path / "out"))
        assert code == 0, err
        assert "(verified)" in out and "sha256:" in out
    assert (tmp_path / "out" / "2026-004512_evidence.zip.sha256").is_file()
    assert (tmp_path / "out" / "2026-004512_evidence" / "bagit.txt").is_file()
    code, _, err = run(capsys, "export", str(case_dir), "--format", "zip",
                       "--out", str(tmp_path / "out"))
    assert code == 2 and "error [Conflict]" in err


def test_templates_import_and_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "templates" / "exchange" / "folder_templates.json"
    code, out, _ = run(capsys, "templates", "import", str(fixture))
    assert code == 0 and "imported  default_forensic" in out
    assert "not carried over: documentsPlacement" in out
    code, out, _ = run(capsys, "templates", "export", "default_forensic", "rcmp_basic",
                       "--out", str(tmp_path / "t.json"))
    assert code == 0 and (tmp_path / "t.json").is_file()
    code, _, err = run(capsys, "templates", "export", "default")
    assert code == 2 and "--out" in err


def test_batch_copies_every_case_and_resumes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for drive in ("usb1", "usb2"):
        make_sample_evidence(tmp_path / drive / "DVR_EXPORT")
    cases = tmp_path / "cases.csv"
    cases.write_text("occurrence,business,template,sources,destination\n"
                     "2026-0001,Corner Store,flat,usb1/DVR_EXPORT,store\n"
                     "2026-0002,,flat,usb2/DVR_EXPORT,store\n"
                     "2026-0003,,flat,usb3/DVR_EXPORT,store\n")

    code, out, err = run(capsys, "batch", str(cases))

    assert code == 1, out
    assert "row 3: sources:" in err and "does not exist" in err
    assert "3 case(s): 2 to copy, 0 done before, 1 invalid (skipped)" in out
    assert out.count(" completed ") == 2 and "journal: " in out
    cases.write_text(cases.read_text().replace("usb3/", "usb2/").replace(
        "2026-0003,,flat", "2026-0003,Bank,flat"))
    code, out, _ = run(capsys, "batch", str(cases), "--parallel", "2")
    assert code == 0, out
    assert out.count("already_done") == 2 and out.count(" completed ") == 1


def test_batch_of_a_file_that_is_not_a_batch_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "cases.csv"
    bad.write_text("occurrence,colour\nx,red\n")
    code, _, err = run(capsys, "batch", str(bad))
    assert code == 2 and err.startswith("error [ValidationError]:") and err.count("\n") == 1


def test_audit_all_of_a_store_without_case_folders_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "audit-all", str(tmp_path))
    assert code == 1 and "NO CASE FOLDER FOUND" in out


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


@pytest.mark.parametrize(("payload", "code"), [
    (NotFound(kind="template", id="x"), 2),
    (PathNotFound(path="/nowhere"), 2),
    (Conflict(path="/out/a.zip", detail="exists"), 2),
    (Cancelled(), 130),
    (DiskFull(path="/cases/a.dav", detail="no space"), 1),
    (IoError(path="/cases/a.dav", operation="read", detail="I/O error"), 1),
    (AuditFailed(case_dir="/cases/c", files=["a.dav (modified)"]), 1),
])
def test_exit_code_follows_the_error_kind(payload: ErrorPayload, code: int) -> None:
    assert exit_code(WorkbenchError(payload)) == code

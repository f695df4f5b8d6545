"""A verified ZIP of a case folder: readable by Python's zipfile and Debian's unzip, its
checksum files checkable with sha256sum and b3sum, named by the case's template."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.evidence import ProgressEvent
from workbench.exports import export_case
from workbench.processing import plan_copy, run_copy
from workbench.templates import Template, TemplateLevel, save_template


def case_files(case_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(case_dir).as_posix(): p.read_bytes()
            for p in sorted(case_dir.rglob("*")) if p.is_file()}


def test_the_archive_holds_the_case_folder_and_its_record(case_dir: Path, out_dir: Path) -> None:
    events: list[ProgressEvent] = []
    report = export_case(case_dir, "zip", out_dir, on_progress=events.append)
    assert report.verified and report.path == out_dir / "2026-004512_evidence.zip"
    with zipfile.ZipFile(report.path) as archive:
        assert archive.testzip() is None
        stored = {info.filename: archive.read(info) for info in archive.infolist()}
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    on_disk = case_files(case_dir)
    prefix = f"{case_dir.name}/"
    assert {name.removeprefix(prefix) for name in stored} <= set(on_disk)
    evidence = {name for name in on_disk if not name.startswith(("_evidence/", "ascmhl/"))}
    for name in evidence:
        assert stored[prefix + name] == on_disk[name]
    archived_custody = stored[prefix + "_evidence/custody.jsonl"].decode().splitlines()
    assert [json.loads(line)["event"] for line in archived_custody] == ["copy", "audit"]
    assert f"{prefix}_evidence/{report.record}" in stored
    assert report.size == report.path.stat().st_size
    assert events[-1].percent == 100.0 and events[-1].files_done == len(evidence)


def test_debian_tools_check_the_archive_and_its_sidecars(case_dir: Path, out_dir: Path) -> None:
    report = export_case(case_dir, "zip", out_dir)
    unzip = subprocess.run(["unzip", "-t", str(report.path)], capture_output=True, text=True)
    assert unzip.returncode == 0 and "No errors detected" in unzip.stdout
    names = [path.name for path in report.sidecars]
    assert names == [f"{report.path.name}.sha256", f"{report.path.name}.blake3"]
    for tool, sidecar in (("sha256sum", names[0]), ("b3sum", names[1])):
        checked = subprocess.run([tool, "--check", sidecar], cwd=out_dir, capture_output=True,
                                 text=True)
        assert checked.returncode == 0 and checked.stdout.strip().endswith(": OK")


def test_the_members_table_and_the_custody_line(case_dir: Path, out_dir: Path) -> None:
    report = export_case(case_dir, "zip", out_dir)
    frame = report.to_frame()
    assert list(frame.columns[:4]) == ["name", "relative", "kind", "size"]
    assert frame["verified"].all() and set(frame["kind"]) == {"evidence", "record"}
    manifest = dict(line.split("  ", 1)[::-1] for line in
                    (case_dir / "_evidence" / "manifest.blake3").read_text().splitlines())
    for row in frame[frame["kind"] == "evidence"].itertuples():
        assert manifest[row.relative] == row.blake3 and row.audit == "ok"
    last = json.loads((case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()[-1])
    assert last["event"] == "export" and last["outcome"] == "completed"
    assert (last["sha256"], last["blake3"]) == (report.digests["sha256"],
                                                report.digests["blake3"])
    assert report.summary()["verified"] is True


def test_the_template_archive_name_names_the_zip(tmp_path: Path, source: Path) -> None:
    save_template(Template(
        id="agency", name="Agency", levels=[TemplateLevel(pattern="{occurrence}")],
        archive_name=TemplateLevel(pattern="{occurrence} {business} Video Recovery"),
    ))
    case = CaseData(occurrence="2026-9", business="Shop/Kiosk")
    plan = plan_copy([source], case, "agency", tmp_path / "cases")
    run_copy(plan)
    report = export_case(plan.destination, "zip", tmp_path / "out")
    assert report.path.name == "2026-9 Shop_Kiosk Video Recovery.zip"


@pytest.mark.parametrize("names", [["a b.dav", "ünïcode é.mp4", "x" * 200 + ".dav"]])
def test_unusual_but_safe_names_round_trip(tmp_path: Path, plan_for, names: list[str]) -> None:
    source = tmp_path / "odd"
    source.mkdir()
    for index, name in enumerate(names):
        (source / name).write_bytes(bytes([index]) * 100)
    case_dir = run_copy(plan_for([source])).plan.destination
    report = export_case(case_dir, "zip", tmp_path / "out")
    with zipfile.ZipFile(report.path) as archive:
        listed = archive.namelist()
    for name in names:
        assert f"{case_dir.name}/odd/{name}" in listed
    assert subprocess.run(["unzip", "-tq", str(report.path)], capture_output=True).returncode == 0

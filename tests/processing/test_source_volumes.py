"""Each source's volume goes into the plan, the custody log, the run report, the printable
report and the CLI output; a writable source earns an advisory there, never an error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.cli import DEMO_CASE, main
from workbench.evidence import list_volumes, source_volume
from workbench.processing import CopyReport, plan_copy, run_copy
from workbench.reports import report_html, write_case_report
from workbench.samples import make_sample_evidence

ADVICE = "use a write blocker or mount it read-only"


def copy_from(source: Path, destination: Path) -> CopyReport:
    plan = plan_copy([source], DEMO_CASE, "default", destination)
    report = run_copy(plan)
    assert report.outcome == "completed"
    return report


def custody(case_dir: Path) -> list[dict[str, Any]]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_sample_run_from_a_read_only_tmpfs_records_it_read_only(
        tmpfs: Any, tmp_path: Path) -> None:
    stick = tmpfs.mount("stick", "rw")
    export = make_sample_evidence(stick / "DVR_EXPORT")
    tmpfs.remount(stick, "ro")

    report = copy_from(export, tmp_path / "cases")

    [volume] = report.plan.source_volumes
    assert (volume.source, volume.mount_point) == (export, stick)
    assert (volume.file_system, volume.read_only, volume.advisory) == ("tmpfs", True, None)
    [entry] = [e for e in custody(report.plan.destination) if e["event"] == "copy"]
    assert entry["source_volumes"] == [volume.model_dump(mode="json")]
    assert entry["source_volumes"][0]["read_only"] is True
    run = json.loads((report.plan.destination / "_evidence" / entry["report"]).read_bytes())
    assert run["source_volumes"] == entry["source_volumes"]
    page = report_html(report.plan.destination)
    sources = page[page.index("<h2>Sources</h2>"):page.index("<h2>Custody log</h2>")]
    assert f"<td class=\"mono\">{stick}</td><td>tmpfs</td><td>read-only</td>" in sources
    assert "Advisory" not in sources
    assert "read-only" in report_html(report)


def test_a_writable_source_gets_an_advisory_in_the_reports(tmp_path: Path) -> None:
    export = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    report = copy_from(export, tmp_path / "cases")
    expected = source_volume(export)
    assert report.plan.source_volumes == [expected]
    advisory = expected.advisory
    assert advisory is not None
    for page in (report_html(report.plan.destination), report_html(report)):
        assert f'<p class="advisory">Advisory: {advisory}</p>' in page
    html, pdf = write_case_report(report.plan.destination)
    assert b"Advisory" in html.read_bytes() and pdf.stat().st_size > 0


def test_volumes_of_several_sources_keep_the_sources_order(tmpfs: Any, tmp_path: Path) -> None:
    stick = tmpfs.mount("stick", "rw")
    first = make_sample_evidence(stick / "A")
    second = tmp_path / "notes.txt"
    second.write_text("seized with the recorder\n")
    tmpfs.remount(stick, "ro")
    plan = plan_copy([second, first], DEMO_CASE, "default", tmp_path / "cases")
    assert [v.source for v in plan.source_volumes] == [second, first]
    assert [v.read_only for v in plan.source_volumes] == [False, True]


def test_a_case_report_lists_each_distinct_volume_of_every_copy(tmp_path: Path) -> None:
    export = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    report = copy_from(export, tmp_path / "cases")
    copy_from(export, tmp_path / "cases")  # the same source again: one row, not two
    page = report_html(report.plan.destination)
    sources = page[page.index("<h2>Sources</h2>"):page.index("<h2>Custody log</h2>")]
    assert sources.count(f'<td class="mono">{export}</td>') == 1


def test_a_record_without_volumes_says_so(tmp_path: Path) -> None:
    export = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    report = copy_from(export, tmp_path / "cases")
    log = report.plan.destination / "_evidence" / "custody.jsonl"
    entries = custody(report.plan.destination)
    for entry in entries:
        entry.pop("source_volumes", None)
    entries[0]["source_volumes"] = [{"source": 7}, "junk"]  # hostile: skipped, not fatal
    log.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    page = report_html(report.plan.destination)
    assert "does not say which volume" in page


def test_the_cli_prints_each_source_volume_and_the_advisory(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "--workdir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0
    export = tmp_path / "usb-export"
    assert f"source {export} on {source_volume(export).summary()}" in out
    assert f"advisory: {export} is on a volume mounted read-write" in err
    assert ADVICE in err


def test_the_cli_lists_drives_and_identifies_paths(
        tmpfs: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stick = tmpfs.mount("stick", "ro")
    assert main(["volumes"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [volume.summary() for volume in list_volumes()]
    assert main(["volumes", str(stick)]) == 0
    out, err = capsys.readouterr()
    assert out == f"source {stick} on {source_volume(stick).summary()}\n"
    assert err == ""  # read-only: no advisory
    assert main(["volumes", str(stick / "unplugged")]) == 2
    assert "error [PathNotFound]" in capsys.readouterr().err

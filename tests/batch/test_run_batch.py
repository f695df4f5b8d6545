"""Batch intake end to end: bad rows reported by row and skipped, the rest verified; cancel,
kill and re-run resume from the journal without copying anything twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import workbench as wb
from workbench.batch.types import BatchProgress
from workbench.errors import BatchError
from workbench.hashing import partial
from workbench.processing import engine

MakeExport = Callable[..., Path]
WriteCsv = Callable[[list[dict[str, str]]], Path]


def row(occurrence: str, source: Path | str, destination: Path, **cells: str) -> dict[str, str]:
    """A batch row for the `flat` template (case folder: `<occurrence> <business>`)."""
    return {"occurrence": occurrence, "business": "", "template": "flat",
            "sources": str(source), "destination": str(destination), **cells}


def custody_events(case_dir: Path) -> list[str]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    return [json.loads(line)["event"] for line in lines]


def partials(folder: Path) -> list[Path]:
    return list(folder.rglob("*.partial")) if folder.exists() else []


def test_five_cases_with_an_invalid_row_and_a_missing_source(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([
        row("2026-0001", make_export("usb1"), cases, business="Corner Store"),
        row("2026-0002", make_export("usb2"), cases, video_start="2026-11-20T15:00",
            video_end="2026-11-20T14:00"),
        row("2026-0003", make_export("usb3"), cases),
        row("2026-0004", tmp_path / "drives" / "unplugged" / "DVR_EXPORT", cases),
        row("2026-0005", f"{make_export('usb5a')};;"
                         f"{make_export('usb5b', files=1) / 'CAM01' / 'ch00_20261120_140000.dav'}",
            cases),
    ])

    report = wb.run_batch(csv_path)

    outcomes = {r.row: r.outcome for r in report.rows}
    assert outcomes == {1: "completed", 2: "invalid", 3: "completed", 4: "invalid",
                        5: "completed"}
    assert report.outcome == "completed_with_errors" and not report.ok
    problems = report.problems()
    assert problems[["row", "field"]].values.tolist() == [[2, "video_end"], [4, "sources"]]
    assert "does not exist" in problems.loc[1, "message"]
    frame = report.to_frame()
    assert frame.columns.tolist()[:3] == ["row", "occurrence", "outcome"]
    assert frame.set_index("row").loc[5, "verified"] == 4
    for number in (1, 3, 5):
        case_dir = Path(frame.set_index("row").loc[number, "case_folder"])
        assert wb.verify_case(case_dir).ok
    assert sorted(p.name for p in cases.iterdir()) == [
        "2026-0001 Corner Store", "2026-0003", "2026-0005"]
    assert report.copy_report(1) is not None and report.copy_report(2) is None


def test_cancel_mid_batch_then_rerun_resumes_and_copies_nothing_twice(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([row(f"2026-000{n}", make_export(f"usb{n}", files=4), cases)
                          for n in (1, 2, 3)])
    monkeypatch.setattr(engine, "BATCH_FILES", 1)  # each file its own batch: some finish first
    token = wb.CancelToken()
    second_case = cases / "2026-0002"
    started: set[str] = set()
    write_all = partial.write_all

    def cancel_at_third_file(fd: int, data: memoryview) -> None:
        name = Path(f"/proc/self/fd/{fd}").readlink()
        if name.is_relative_to(second_case):
            started.add(name.name)
            if len(started) == 3:
                token.cancel()
        write_all(fd, data)

    monkeypatch.setattr(partial, "write_all", cancel_at_third_file)
    first = wb.run_batch(csv_path, cancel=token)

    assert first.outcome == "cancelled"
    assert [r.outcome for r in first.rows] == ["completed", "cancelled", "cancelled"]
    assert first.rows[2].error is not None and "before this case started" in \
        first.rows[2].error.describe()
    assert first.rows[1].verified >= 1, "the files before the cancel were verified"
    assert not partials(cases)
    assert not (cases / "2026-0003").exists()
    copied_first = {r.relative for r in first.copies[1].rows if r.status == "verified"}

    monkeypatch.setattr(partial, "write_all", write_all)
    second = wb.run_batch(csv_path)

    assert [r.outcome for r in second.rows] == ["already_done", "completed", "completed"]
    assert second.ok and second.journal == first.journal
    resumed = second.copies[0]
    assert {r.relative for r in resumed.rows if r.status == "skipped"} == copied_first
    assert not copied_first & {r.relative for r in resumed.rows if r.status == "verified"}
    assert custody_events(cases / "2026-0001") == ["copy"], "case 1 was not copied again"
    assert not partials(cases)
    for number in (1, 2, 3):
        assert wb.verify_case(cases / f"2026-000{number}").ok


def test_a_batch_killed_mid_case_finishes_on_the_next_run(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv,
        kill_while_partial: Callable[[str, Path], None]) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([
        row("2026-0001", make_export("usb1", files=1), cases),
        row("2026-0002", make_export("usb2", files=3, size=3 << 20), cases),
        row("2026-0003", make_export("usb3", files=1), cases),
    ])

    kill_while_partial(f"import workbench as wb\nwb.run_batch({str(csv_path)!r})\n",
                       cases / "2026-0002")

    journal = [json.loads(line) for line in
               csv_path.with_name("cases.journal.jsonl").read_text().splitlines()]
    assert [(e["row"], e["state"]) for e in journal] == [
        (1, "running"), (1, "completed"), (2, "running")]
    assert partials(cases / "2026-0002"), "the kill left the file in flight as a partial"

    report = wb.run_batch(csv_path)

    assert [r.outcome for r in report.rows] == ["already_done", "completed", "completed"]
    assert not partials(cases)
    assert "crash cleanup" in custody_events(cases / "2026-0002")
    for number in (1, 2, 3):
        assert wb.verify_case(cases / f"2026-000{number}").ok


def test_parallel_cases_run_at_once_and_progress_covers_the_batch(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([row(f"2026-000{n}", make_export(f"usb{n}", files=2, size=1 << 20),
                              cases) for n in (1, 2)])
    write_all = partial.write_all

    def slow(fd: int, data: memoryview) -> None:
        import time

        time.sleep(0.1)
        write_all(fd, data)

    monkeypatch.setattr(partial, "write_all", slow)
    events: list[BatchProgress] = []

    report = wb.run_batch(csv_path, parallel=2, on_progress=events.append)

    assert report.ok
    assert any(event.running == [1, 2] for event in events), "both cases ran at once"
    last = events[-1]
    assert (last.percent, last.cases_done, last.cases_total) == (100.0, 2, 2)
    assert last.bytes_done == last.bytes_total == 4 << 20
    assert {event.current_case for event in events} >= {"2026-0001", "2026-0002"}


def test_a_dataframe_batch_with_typed_cells(tmp_path: Path, make_export: MakeExport,
                                            workbench_home: Path) -> None:
    frame = pd.DataFrame([
        {"occurrence": "2026-0001", "business": "Bank", "video_start": pd.Timestamp(
            "2026-11-20 14:00"), "video_end": pd.Timestamp("2026-11-20 15:30"),
         "badge_number": 4711.0, "sources": [str(make_export("usb1"))],
         "destination": str(tmp_path / "cases"), "algorithms": "sha256", "notes": None},
        {"occurrence": float("nan"), "business": "Bank", "video_start": pd.NaT,
         "video_end": None, "badge_number": None, "sources": [str(make_export("usb2"))],
         "destination": str(tmp_path / "cases"), "algorithms": None, "notes": "a\nb"},
    ])

    report = wb.run_batch(frame)

    assert [r.outcome for r in report.rows] == ["completed", "invalid"]
    assert report.rows[1].problems[0].field == "occurrence"
    assert report.source == "DataFrame"
    assert report.journal == workbench_home / "batches" / "journal.jsonl"
    copy = report.copies[0]
    assert copy.plan.algorithms == ["blake3", "sha256", "xxh128"], "xxh128 for ASC MHL"
    assert copy.plan.case.badge_number == "4711"
    assert copy.plan.destination.name == "2026-11-20_1400_to_2026-11-20_1530"


def test_two_rows_into_one_case_folder_the_second_is_invalid(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([row("2026-0001", make_export("usb1"), cases),
                          row("2026-0001", make_export("usb2"), cases)])

    check = wb.check_batch(csv_path)

    assert [r.outcome for r in check.rows] == ["ready", "invalid"]
    assert check.problems()["message"].tolist() == [
        f"row 1 already copies into {cases / '2026-0001'}"]
    assert not cases.exists(), "checking a batch copies nothing"


def test_empty_cells_take_the_preferences(tmp_path: Path, make_export: MakeExport,
                                          write_csv: WriteCsv) -> None:
    source = make_export("usb1")
    csv_path = write_csv([{"occurrence": "2026-0001", "sources": str(source),
                           "destination": "", "template": ""}])
    assert wb.check_batch(csv_path).problems()["field"].tolist() == ["destination"]

    wb.save_preferences(wb.Preferences(destination_root=tmp_path / "store",
                                       default_template="flat"))
    check = wb.check_batch(csv_path)

    assert [r.outcome for r in check.rows] == ["ready"]
    assert check.jobs[0].case_folder == tmp_path / "store" / "2026-0001"


def test_relative_paths_are_relative_to_the_batch_file(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv) -> None:
    make_export("usb1")
    csv_path = write_csv([row("2026-0001", "drives/usb1/DVR_EXPORT", Path("cases"))])

    check = wb.check_batch(csv_path)

    assert check.jobs[0].sources == [tmp_path / "drives" / "usb1" / "DVR_EXPORT"]
    assert check.jobs[0].destination == tmp_path / "cases"


def test_a_torn_journal_line_is_skipped_and_the_next_stays_whole(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([row("2026-0001", make_export("usb1"), cases),
                          row("2026-0002", make_export("usb2"), cases)])
    report = wb.run_batch(csv_path)
    with report.journal.open("ab") as journal:
        journal.write(b'{"key": "torn by a cr')

    check = wb.check_batch(csv_path)
    assert [r.outcome for r in check.rows] == ["already_done", "already_done"]
    (cases / "2026-0002" / "_evidence" / "manifest.blake3").unlink()  # its record is gone
    again = wb.run_batch(csv_path)

    assert [r.outcome for r in again.rows] == ["already_done", "completed"]
    lines = report.journal.read_bytes().splitlines()
    assert lines[4] == b'{"key": "torn by a cr' and len(lines) == 7
    assert [json.loads(line)["state"] for line in lines[-2:]] == ["running", "completed"]


def test_a_journal_that_cannot_be_written_stops_the_batch_before_copying(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([row("2026-0001", make_export("usb1"), cases)])
    (tmp_path / "a-file").write_text("not a folder")

    with pytest.raises(BatchError) as caught:
        wb.run_batch(csv_path, journal=tmp_path / "a-file" / "journal.jsonl")

    assert caught.value.type in {"IoError", "PathNotFound"}
    assert not cases.exists()


def test_a_copy_that_cannot_start_is_a_failed_row_and_the_rest_run(
        tmp_path: Path, make_export: MakeExport, write_csv: WriteCsv,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cases = tmp_path / "cases"
    csv_path = write_csv([row("2026-0001", make_export("usb1"), cases),
                          row("2026-0002", make_export("usb2"), cases)])
    real = wb.run_copy

    def broken_first(plan: wb.CopyPlan, **kwargs: Any) -> wb.CopyReport:
        if plan.destination.name == "2026-0001":
            raise OSError(5, "Input/output error", str(plan.destination))
        return real(plan, **kwargs)

    monkeypatch.setattr("workbench.batch.runner.run_copy", broken_first)
    report = wb.run_batch(csv_path)

    assert [r.outcome for r in report.rows] == ["failed", "completed"]
    assert report.rows[0].error is not None and report.rows[0].error.type == "IoError"
    assert "Input/output error" in report.to_frame().loc[0, "error"]


@pytest.mark.parametrize("parallel", [0, 17, 1.5, True, "2"])
def test_parallel_must_be_a_small_whole_number(write_csv: WriteCsv, parallel: Any) -> None:
    with pytest.raises(BatchError) as caught:
        wb.run_batch(write_csv([{"occurrence": "x", "sources": "y"}]), parallel=parallel)
    assert caught.value.payload.type == "ValidationError"
    assert caught.value.payload.field == "parallel"


def test_the_summary_counts_cases_by_outcome(tmp_path: Path, make_export: MakeExport,
                                             write_csv: WriteCsv) -> None:
    cases = tmp_path / "cases"
    report = wb.run_batch(write_csv([row("2026-0001", make_export("usb1"), cases),
                                     row("", make_export("usb2"), cases)]))

    summary = report.summary()

    assert {key: summary[key] for key in ("cases", "completed", "invalid")} == {
        "cases": 2, "completed": 1, "invalid": 1}
    assert summary["bytes_verified"] == 3 * 40_000
    assert Path(report.source).name == "cases.csv"

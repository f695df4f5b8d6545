"""A plan's rows are kept in columns (#23 item 5: plan + copy of 100,000 files under 300 MB):
the structure is weighed here, `bench/` measures the peak RSS of 100,000 files."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.evidence.manifest import read_manifest
from workbench.processing import run_copy
from workbench.processing.planner import refresh_plan
from workbench.processing.types import PlannedFile, PlannedFiles

FILES = 600


def _weight(columns: PlannedFiles) -> int:
    """Bytes the columns hold: containers, and each text value once."""
    total, seen = 0, set()
    for name in PlannedFile.model_fields:
        column = columns.column(name)
        total += sys.getsizeof(column)
        for value in column:
            if isinstance(value, str) and id(value) not in seen:
                seen.add(id(value))
                total += sys.getsizeof(value)
    return total


def test_a_plan_keeps_its_rows_in_a_few_hundred_bytes_a_file(tmp_path: Path, plan_for) -> None:
    source = tmp_path / "export"
    for i in range(FILES):
        folder = source / f"ch{i % 6:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"clip_{i:05d}.dav").write_bytes(b"x" * (i % 50))
    plan = plan_for([source])
    items = plan.items
    assert isinstance(items, PlannedFiles) and len(items) == FILES
    per_file = _weight(items) / FILES
    # A row model with its three paths took ~1,800 bytes a file.
    assert per_file < 500, f"{per_file:.0f} bytes a planned file"
    row = items[7]
    assert isinstance(row, PlannedFile) and isinstance(row.source, Path)
    assert row.destination == plan.destination / row.relative and row.hashes == {}
    assert row.source.stat().st_size == row.size and row.action == "copy"

    report = run_copy(plan)
    assert report.outcome == "completed"
    assert report.rows.column("relative") is report.plan.items.column("relative")  # shared
    assert {row.status for row in report.rows} == {"verified"}
    assert report.to_frame()["destination"].tolist() == [str(item.destination)
                                                         for item in report.plan.items]
    again = run_copy(report.plan)  # the refreshed plan: columns again, every row skipped
    assert isinstance(again.plan.items, PlannedFiles)
    assert {item.action for item in again.plan.items} == {"skip"}
    assert all(item.hashes for item in again.plan.items)


def test_a_copy_makes_each_planned_row_once(tmp_path: Path, plan_for, monkeypatch) -> None:
    """Only a file's own job makes its row; every other step reads the plan's columns (ten rows
    made a file took a third of a 5,000-file copy's time, #23)."""
    source = tmp_path / "export"
    for i in range(40):
        folder = source / f"ch{i % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"clip_{i:03d}.dav").write_bytes(b"x" * i)
    plan = plan_for([source], also_to=[tmp_path / "working"])
    assert refresh_plan(plan) is plan  # nothing there yet: nothing to decide again
    made: list[str] = []
    real = PlannedFile.from_checked.__func__  # type: ignore[attr-defined]

    def counted(cls: type[PlannedFile], **values: object) -> PlannedFile:
        made.append(str(values["destination"]))
        return real(cls, **values)

    monkeypatch.setattr(PlannedFile, "from_checked", classmethod(counted))
    report = run_copy(plan)
    assert report.outcome == "completed"
    assert sorted(made) == sorted(str(item.destination) for item in plan.items)
    made.clear()
    again = run_copy(plan)  # each row decided again (now `skip`), made once to change it
    assert {row.status for row in again.rows} == {"skipped"}
    assert len(made) == len(plan.items)


def test_each_row_finds_its_case_folder_when_one_root_holds_the_other(
        tmp_path: Path, plan_for) -> None:
    source = tmp_path / "export"
    source.mkdir()
    for name in ("a.dav", "b.dav"):
        (source / name).write_bytes(name.encode())
    plan = plan_for([source], also_to=[tmp_path / "cases" / "working"])
    assert plan.targets[1].destination.is_relative_to(plan.targets[0].root)
    assert [plan.targets[i].destination for i in plan.row_targets()] == [
        item.destination.parents[len(item.relative.parts) - 1] for item in plan.items]
    assert [plan.targets[i].role for i in plan.row_targets()] == [
        item.role for item in plan.items]
    report = run_copy(plan)
    assert report.outcome == "completed"
    for target in plan.targets:
        assert set(read_manifest(target.destination, "blake3")) == {"export/a.dav",
                                                                    "export/b.dav"}

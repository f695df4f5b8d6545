"""A plan's rows are kept in columns (#23 item 5: plan + copy of 100,000 files under 300 MB):
the structure is weighed here, `bench/` measures the peak RSS of 100,000 files."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.processing import run_copy
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

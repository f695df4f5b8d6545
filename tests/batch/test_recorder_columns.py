"""A batch row's recorder (name, make, model, serial, time zone, offset): validated cell by
cell, a bad cell making only its row invalid and named by its column; hostile cells refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.batch.recorder_cells import RECORDER_COLUMNS, recorder_of
from workbench.batch.table import COLUMNS
from workbench.cases import DEFAULT_RECORDER

WriteCsv = Callable[[list[dict[str, str]]], Path]

RECORDER = {"recorder_name": "NVR_A", "recorder_make": "Hikvision",
            "recorder_model": "DS-7608NI-K2", "recorder_serial": "DS1234567",
            "recorder_time_zone": "Europe/London", "recorder_offset": "DVR is 4m30s ahead"}


def _row(tmp_path: Path, **cells: str) -> dict[str, str]:
    (tmp_path / "usb").mkdir(exist_ok=True)
    return {"occurrence": "2026-0001", "sources": str(tmp_path / "usb"),
            "destination": str(tmp_path / "cases"), **cells}


def test_the_recorder_columns_are_batch_columns() -> None:
    assert set(RECORDER_COLUMNS) <= set(COLUMNS)
    assert "recorders" not in COLUMNS  # a list of recorders is no cell


def test_a_row_gives_its_case_one_recorder_with_its_clock(tmp_path: Path,
                                                          write_csv: WriteCsv) -> None:
    check = wb.check_batch(write_csv([_row(tmp_path, **RECORDER)]))
    assert [row.outcome for row in check.rows] == ["ready"]
    (recorder,) = check.jobs[0].case.recorders
    assert (recorder.name, recorder.make, recorder.model, recorder.serial,
            recorder.time_zone) == ("NVR_A", "Hikvision", "DS-7608NI-K2", "DS1234567",
                                    "Europe/London")
    assert recorder.error_at(datetime(2026, 11, 20, 14, 4, 30)) == timedelta(minutes=4,
                                                                             seconds=30)
    real = recorder.real(datetime(2026, 11, 20, 14, 4, 30)).moment
    assert real == datetime(2026, 11, 20, 14, tzinfo=timezone.utc)  # London is UTC in November


def test_a_name_alone_and_no_recorder_cells(tmp_path: Path, write_csv: WriteCsv) -> None:
    check = wb.check_batch(write_csv([_row(tmp_path, recorder_name="NVR_B"),
                                      _row(tmp_path, occurrence="2026-0002")]))
    assert [job.case.recorders for job in check.jobs][1] == []
    (recorder,) = check.jobs[0].case.recorders
    assert recorder.name == "NVR_B" and recorder.observations == []


def test_an_offset_alone_is_the_default_recorder(tmp_path: Path, write_csv: WriteCsv) -> None:
    check = wb.check_batch(write_csv([_row(tmp_path, recorder_offset="-00:02:00")]))
    (recorder,) = check.jobs[0].case.recorders
    assert recorder.name == DEFAULT_RECORDER
    assert recorder.error_at(datetime(2026, 1, 1)) == -timedelta(minutes=2)


@pytest.mark.parametrize(("cells", "field", "why"), [
    ({"recorder_time_zone": "Mars/Olympus"}, "recorder_time_zone", ""),
    ({"recorder_time_zone": "../../etc/passwd"}, "recorder_time_zone", ""),
    ({"recorder_offset": "soon"}, "recorder_offset", "clock offset"),
    ({"recorder_offset": "+99999999:00:00"}, "recorder_offset", ""),
    ({"recorder_name": "N" * 121}, "recorder_name", "120"),
    ({"recorder_offset": "+00:01:00", "dvr_offset": "+00:01:00"}, "recorder_offset", "not both"),
    ({"recorder_serial": "=HYPERLINK(\"http://x\")"}, "recorder_serial", "spreadsheet formula"),
    ({"recorder_make": "Hik\u202evision"}, "recorder_make", "U+202E"),
    ({"recorder_model": "DS\x00-76"}, "recorder_model", "U+0000"),
])
def test_a_bad_recorder_cell_makes_only_its_row_invalid(
        tmp_path: Path, write_csv: WriteCsv, cells: dict[str, str], field: str,
        why: str) -> None:
    path = write_csv([_row(tmp_path, **cells), _row(tmp_path, occurrence="2026-0002",
                                                     **RECORDER)])
    check = wb.check_batch(path)
    assert [row.outcome for row in check.rows] == ["invalid", "ready"]
    problems = [(problem.field, problem.message) for problem in check.rows[0].problems]
    assert [name for name, _message in problems] == [field]
    assert why in problems[0][1]


def test_a_dataframe_gives_recorders_too(tmp_path: Path) -> None:
    frame = pd.DataFrame([_row(tmp_path, **RECORDER)])
    check = wb.check_batch(frame)
    assert check.jobs[0].case.recorders[0].serial == "DS1234567"


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(sorted(RECORDER_COLUMNS)), st.text(max_size=40),
                       min_size=1))
def test_any_recorder_cells_give_a_recorder_or_named_problems(cells: dict[str, str]) -> None:
    recorder, problems = recorder_of(cells)
    assert (recorder is None) == bool(problems)
    assert {problem.field for problem in problems} <= set(RECORDER_COLUMNS)

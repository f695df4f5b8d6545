"""Reading a batch table: hostile cells are refused one by one (their row invalid, the
batch not), bad files and bad columns are typed errors, never a traceback."""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.batch.table import COLUMNS, MAX_CELL, MAX_FILE, SEPARATOR, clean_cell, read_table
from workbench.errors import BatchError

WriteCsv = Callable[[list[dict[str, str]]], Path]


def problems_of(path: Path) -> list[tuple[int, str, str]]:
    return [(r.row, p.field, p.message) for r in wb.check_batch(path).rows for p in r.problems]


@pytest.mark.parametrize(("cell", "why"), [
    ("x" * (MAX_CELL + 1), "10,001 characters long"),
    ("Corner\x07Store", "U+0007"),
    ("Corner\x00Store", "U+0000"),
    ("Corner\x1bStore", "U+001B"),
    ("Store \u202egnp.exe", "U+202E"),
    ("=cmd|' /C calc'!A0", "spreadsheet formula"),
    ("  =HYPERLINK(\"http://x\")", "spreadsheet formula"),
    ("@SUM(A1:A9)", "spreadsheet formula"),
])
def test_a_hostile_cell_makes_only_its_row_invalid(
        tmp_path: Path, write_csv: WriteCsv, cell: str, why: str) -> None:
    (tmp_path / "usb").mkdir()
    path = write_csv([
        {"occurrence": "2026-0001", "business": cell, "sources": str(tmp_path / "usb"),
         "destination": str(tmp_path / "cases")},
        {"occurrence": "2026-0002", "business": "Bank", "sources": str(tmp_path / "usb"),
         "destination": str(tmp_path / "cases")},
    ])

    check = wb.check_batch(path)

    assert [r.outcome for r in check.rows] == ["invalid", "ready"]
    [(number, field, message)] = problems_of(path)
    assert (number, field) == (1, "business") and why in message


@pytest.mark.parametrize("value", ["+01:30:00", "-0:05", "DVR is 4m30s ahead"])
def test_signed_offsets_are_values_not_formulas(value: str) -> None:
    assert clean_cell("dvr_offset", value) == value


def test_notes_may_hold_line_breaks_and_tabs() -> None:
    assert clean_cell("notes", "line one\n\tline two\r\n") == "line one\n\tline two"
    with pytest.raises(ValueError, match=r"U\+000A"):
        clean_cell("business", "two\nlines")


@pytest.mark.parametrize(("cell", "items"), [
    (";;", None),
    ("a;;b", ["a", "b"]),
    (" a ; b ;", ["a", "b"]),
    ("only", ["only"]),
    (["a", " ", "b"], ["a", "b"]),
])
def test_list_cells_drop_empty_values(cell: str | list[str], items: list[str] | None) -> None:
    assert clean_cell("sources", cell) == items


def test_a_sources_cell_of_separators_only_is_missing(tmp_path: Path, write_csv: WriteCsv
                                                      ) -> None:
    path = write_csv([{"occurrence": "2026-0001", "sources": ";;",
                       "destination": str(tmp_path)}])
    assert problems_of(path) == [(1, "sources", "is empty: give at least one file or folder")]


def test_every_problem_of_a_row_is_named(tmp_path: Path, write_csv: WriteCsv) -> None:
    path = write_csv([{"occurrence": " ", "video_start": "20/11/2026", "template": "nope",
                       "sources": str(tmp_path / "gone"), "algorithms": "md5;crc32",
                       "destination": ""}])

    fields = [field for _, field, _ in problems_of(path)]

    assert fields == ["occurrence", "video_start", "template", "destination", "algorithms"]


def test_a_row_with_more_cells_than_the_header_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    (tmp_path / "usb").mkdir()
    path.write_text(f"occurrence,sources,destination\n"
                    f"2026-0001,{tmp_path / 'usb'},{tmp_path},surplus\n"
                    f"\n"
                    f"2026-0002,{tmp_path / 'usb'},{tmp_path}\n")

    check = wb.check_batch(path)

    assert [(r.row, r.outcome) for r in check.rows] == [(1, "invalid"), (2, "ready")]
    assert check.rows[0].problems[0].field == "row", "blank lines are not cases"


def test_an_excel_bom_and_spaces_around_column_names_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes("\ufeffoccurrence , sources\r\n2026-0001,usb\r\n".encode())
    table = read_table(path)
    assert table.rows[0].cells == {"occurrence": "2026-0001", "sources": ["usb"]}


@pytest.mark.parametrize(("content", "kind", "says"), [
    (b"occurrence,sources,owner\nx,y,z\n", "ValidationError", "unknown column 'owner'"),
    (b"occurrence,sources,sources\nx,y,z\n", "ValidationError", "'sources' is given twice"),
    (b"occurrence,business\nx,y\n", "ValidationError", "'sources' is required"),
    (b"occurrence,sources\n", "ValidationError", "no cases"),
    (b"", "ValidationError", "the file is empty"),
    (b"occurrence,sources\n\xff\xfe,x\n", "CorruptFile", "not UTF-8"),
    (b'occurrence,sources\n"x"y,z\n', "CorruptFile", "not CSV at line 2"),
])
def test_a_file_that_is_not_a_batch_is_a_typed_error(
        tmp_path: Path, content: bytes, kind: str, says: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(content)

    with pytest.raises(BatchError) as caught:
        wb.check_batch(path)

    assert caught.value.type == kind and says in str(caught.value)


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE * 64)
    with pytest.raises(BatchError) as caught:
        wb.check_batch(path)
    assert caught.value.type == "CorruptFile" and "larger than" in str(caught.value)


def test_a_missing_file_and_a_wrong_argument_are_typed(tmp_path: Path) -> None:
    with pytest.raises(BatchError) as missing:
        wb.check_batch(tmp_path / "nope.csv")
    assert missing.value.type == "PathNotFound"
    with pytest.raises(BatchError) as wrong:
        wb.check_batch(42)  # type: ignore[arg-type]
    assert wrong.value.type == "ValidationError"


_HOSTILE = st.text(
    alphabet=st.sampled_from([*string.printable, "\x00", "\x07", "\u202e", "é", "漢", ";",
                              "=", "@", '"', ",", "\n"]),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(column=st.sampled_from(COLUMNS), value=_HOSTILE)
def test_a_cleaned_cell_is_safe_or_refused_with_a_reason(column: str, value: str) -> None:
    try:
        cleaned = clean_cell(column, value)
    except ValueError as exc:
        assert str(exc)
        return
    values = cleaned if isinstance(cleaned, list) else [cleaned] if cleaned else []
    for text in values:
        assert isinstance(text, str) and text == text.strip() and text
        assert not text.startswith(("=", "@"))
        assert all(ch in "\t\n\r" or (ord(ch) >= 32 and ch not in "\x7f\u202e")
                   for ch in text)
        if column in ("sources", "also_to", "algorithms"):
            assert SEPARATOR not in text


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_HOSTILE, min_size=1, max_size=5), min_size=1, max_size=4))
def test_any_csv_reads_as_rows_or_a_typed_error(tmp_path: Path, rows: list[list[str]]
                                                ) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["occurrence", "sources", "business", "notes", "template"],
                                  *rows])
    path = tmp_path / "cases.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        check = wb.check_batch(path)
    except BatchError as exc:
        assert exc.payload.type in {"ValidationError", "CorruptFile"}
        return
    assert [r.row for r in check.rows] == list(range(1, len(check.rows) + 1))
    assert all(r.outcome in {"invalid", "ready"} for r in check.rows)
    assert all(p.field in {*COLUMNS, "row", "case"} for r in check.rows for p in r.problems)


def test_a_frame_with_an_unknown_column_is_refused() -> None:
    with pytest.raises(BatchError) as caught:
        wb.check_batch(pd.DataFrame([{"occurrence": "x", "sources": "y", "Owner": "z"}]))
    assert "unknown column 'Owner'" in str(caught.value)


def test_exhibit_facts_are_columns_and_slashed_dates_follow_the_order(
    tmp_path: Path, write_csv: WriteCsv
) -> None:
    source = tmp_path / "export"
    source.mkdir()
    (source / "clip.dav").write_bytes(b"x" * 10)
    path = write_csv([{
        "occurrence": "2026-004512", "sources": str(source), "destination": str(tmp_path),
        "exhibit_number": "EX-17/3", "seal_numbers": "S-1; S-2",
        "received_from_name": "J. Manager", "received_from_organisation": "Corner Store Ltd",
        "received_at": "03/04/2026 09:15", "seized_at": "Back office",
    }])
    (unordered,) = wb.check_batch(path).rows
    assert unordered.outcome == "invalid"
    assert [p.field for p in unordered.problems] == ["received_at"]
    assert "DD/MM/YYYY HH:MM" in unordered.problems[0].message
    check = wb.check_batch(path, date_order="DMY")
    (job,) = check.jobs
    assert (job.case.exhibit_number, job.case.seal_numbers) == ("EX-17/3", ["S-1", "S-2"])
    assert (job.case.received_from_name, job.case.received_from_organisation,
            job.case.seized_at) == ("J. Manager", "Corner Store Ltd", "Back office")
    assert job.case.received_at is not None
    assert job.case.received_at.isoformat() == "2026-04-03T09:15:00"

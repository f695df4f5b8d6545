"""Reading a batch: a CSV file or a DataFrame, one case a row, columns named after the API.

Cells are untrusted (a spreadsheet someone filled in): each is cleaned or refused on its
own, so one bad cell makes its row invalid, never the whole batch. Refused: cells over
`MAX_CELL` characters, control characters (tabs and line breaks allowed in `notes`),
bidirectional-text controls, and cells that start like a spreadsheet formula (`=`, `@`).
"""

from __future__ import annotations

import csv
import io
import math
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.batch.recorder_cells import RECORDER_COLUMNS
from workbench.cases import CaseData
from workbench.errors import (
    BatchError,
    CorruptFile,
    FieldProblem,
    ValidationError,
    payload_from_os_error,
)
from workbench.paths import absolute, expand_user

if TYPE_CHECKING:
    import pandas as pd

CASE_COLUMNS: tuple[str, ...] = tuple(name for name in CaseData.model_fields
                                      if name != "recorders")
"""The case-data columns: every `CaseData` field but its recorders (given by
`RECORDER_COLUMNS`: one recorder a row)."""
LIST_COLUMNS: tuple[str, ...] = ("sources", "also_to", "algorithms")
"""Columns holding several values, separated by `SEPARATOR`."""
COLUMNS: tuple[str, ...] = (*CASE_COLUMNS, *RECORDER_COLUMNS, "template", "sources",
                            "destination", "also_to", "algorithms")
"""Every column a batch may have."""
REQUIRED: tuple[str, ...] = ("occurrence", "sources")
"""Columns a batch must have."""
SEPARATOR = ";"
"""Between the values of a list cell; empty values (`a;;b`, a trailing `;`) are dropped."""
MAX_CELL = 10_000
"""Characters a cell may hold."""
MAX_FILE = 16 << 20
"""Bytes a batch file may have (a batch is a table of cases, not data)."""
FORMULA_STARTS = ("=", "@")
"""First characters of a spreadsheet formula; a CSV cell holds values."""
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")
_DATETIME_COLUMNS = frozenset({"video_start", "video_end"})

Cell = str | datetime | list[str]
"""A cleaned cell: text, a datetime (from a DataFrame) or the values of a list cell."""


@dataclass
class RawRow:
    """One case of the table: its cleaned cells and the problems of the cells refused."""

    number: int
    cells: dict[str, Cell]
    problems: list[FieldProblem] = field(default_factory=list)


@dataclass
class Table:
    """A batch as read: where from, what relative paths are relative to, and its rows."""

    source: str
    base: Path
    path: Path | None
    rows: list[RawRow]


def read_table(cases: pd.DataFrame | str | os.PathLike[str]) -> Table:
    """The rows of a DataFrame or a CSV file (UTF-8, with or without a BOM).

    Raises `BatchError`: the OS error's payload for a file that cannot be read, `CorruptFile`
    for one that is not UTF-8 CSV, `ValidationError` for unknown, duplicate or missing
    columns or a table without cases.
    """
    import pandas as pd

    if isinstance(cases, pd.DataFrame):
        header = [str(column) for column in cases.columns]
        _check_columns(header)
        records = cases.astype(object).to_dict("records")
        rows = [_row(number, record) for number, record in enumerate(records, start=1)]
        return _nonempty(Table("DataFrame", Path.cwd(), None, rows))
    if not isinstance(cases, str | os.PathLike):
        raise _invalid("cases", f"expected a DataFrame or a CSV path, got {type(cases).__name__}")
    path = absolute(expand_user(cases))
    return _nonempty(Table(str(path), path.parent, path, _csv_rows(path)))


def _csv_rows(path: Path) -> list[RawRow]:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as exc:
        raise BatchError(payload_from_os_error(exc, str(path), "read")) from None
    if len(data) > MAX_FILE:
        raise BatchError(CorruptFile(path=str(path), detail=f"larger than {MAX_FILE} bytes"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError(CorruptFile(path=str(path), detail=f"not UTF-8 text ({exc})")) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = csv.field_size_limit(MAX_FILE)
    try:
        lines = [line for line in reader if any(cell.strip() for cell in line)]
    except csv.Error as exc:
        detail = f"not CSV at line {reader.line_num} ({exc})"
        raise BatchError(CorruptFile(path=str(path), detail=detail)) from None
    finally:
        csv.field_size_limit(previous)
    if not lines:
        raise _invalid("columns", "the file is empty: the first line must name the columns")
    header = [name.strip() for name in lines[0]]
    _check_columns(header)
    rows = []
    for number, line in enumerate(lines[1:], start=1):
        row = _row(number, dict(zip(header, line, strict=False)))
        if len(line) != len(header):
            row.problems.append(FieldProblem(
                field="row", message=f"has {len(line)} cells, the header names {len(header)}",
            ))
        rows.append(row)
    return rows


def _check_columns(header: Sequence[str]) -> None:
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(FieldProblem(field="columns", message=f"{name!r} is given twice"))
        elif name not in COLUMNS:
            problems.append(FieldProblem(
                field="columns",
                message=f"unknown column {_shortened(name)!r}; columns are {', '.join(COLUMNS)}",
            ))
        seen.add(name)
    problems += [
        FieldProblem(field="columns", message=f"the column {name!r} is required")
        for name in REQUIRED if name not in seen
    ]
    if problems:
        raise BatchError(ValidationError.of(problems, actual=_shortened(", ".join(header))))


def _nonempty(table: Table) -> Table:
    if not table.rows:
        raise _invalid("cases", "the batch has no cases (no row under the header)")
    return table


def _row(number: int, record: dict[Any, Any]) -> RawRow:
    row = RawRow(number, {})
    for column, value in record.items():
        try:
            cleaned = clean_cell(str(column), value)
        except ValueError as exc:
            row.problems.append(FieldProblem(field=str(column), message=str(exc)))
            continue
        if cleaned is not None:
            row.cells[str(column)] = cleaned
    return row


def clean_cell(column: str, value: Any) -> Cell | None:
    """The cell's value (None when empty), or ValueError saying why it is refused."""
    import pandas as pd

    if _missing(value):
        return None
    if column in LIST_COLUMNS:
        items = value if isinstance(value, list | tuple) else str(value).split(SEPARATOR)
        values = [text for item in items if (text := _text(column, item))]
        return values or None
    if isinstance(value, datetime | date) and column in _DATETIME_COLUMNS:
        moment: datetime = pd.Timestamp(value).to_pydatetime()
        return moment
    return _text(column, value) or None


def _missing(value: Any) -> bool:
    import pandas as pd

    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(column: str, value: Any) -> str:
    """A value as stripped text, after the hostile-cell checks."""
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a badge number a spreadsheet stored as 4711.0
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_CELL:
        raise ValueError(f"is {len(text):,} characters long; a cell holds at most {MAX_CELL:,}")
    allowed = _TEXT_CONTROLS_ALLOWED if column == "notes" else frozenset()
    odd = next(_odd(text, allowed), None)
    if odd is not None:
        raise ValueError(f"contains the control character U+{ord(odd):04X}")
    text = text.strip()
    if text.startswith(FORMULA_STARTS):
        raise ValueError(f"starts with {text[0]!r} like a spreadsheet formula; "
                         "give the value itself")
    return text


def _odd(text: str, allowed: frozenset[str]) -> Iterator[str]:
    return (
        char for char in text
        if char not in allowed
        and (unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS)
    )


def _shortened(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invalid(field_name: str, message: str) -> BatchError:
    return BatchError(ValidationError.of([FieldProblem(field=field_name, message=message)]))

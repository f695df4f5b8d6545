"""From a table row to a job: the case checked, the template resolved, the paths made
absolute, every problem of the row named with its field.

Empty `template`, `destination` and `algorithms` cells take the preferences' default
template, destination root and digests; relative paths are relative to the batch file's
folder (the working folder for a DataFrame).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from workbench.batch.recorder_cells import recorder_of
from workbench.batch.table import CASE_COLUMNS, Cell, RawRow, Table
from workbench.batch.types import BatchJob, BatchRow
from workbench.cases import DATE_ORDER_CONTEXT, CaseData
from workbench.errors import FieldProblem, ValidationError, WorkbenchError, payload_from_os_error
from workbench.hashing.algorithms import normalise_algorithms
from workbench.paths import expand_user
from workbench.preferences.types import Preferences
from workbench.templates.commands import get_template, resolve_path
from workbench.templates.types import Template


def parse_rows(table: Table, prefs: Preferences) -> list[BatchJob | BatchRow]:
    """Each row as a job, or as an `invalid` row naming its problems; a later row that
    writes into an earlier row's case folder is invalid too."""
    templates: dict[str, Template | WorkbenchError] = {}
    parsed = [_parse(row, table.base, prefs, templates) for row in table.rows]
    owners: dict[Path, int] = {}
    for index, item in enumerate(parsed):
        if isinstance(item, BatchJob):
            first = owners.setdefault(item.case_folder, item.row)
            if first != item.row:
                parsed[index] = invalid_row(item, [FieldProblem(
                    field="destination",
                    message=f"row {first} already copies into {item.case_folder}",
                )])
    return parsed


def check_sources(job: BatchJob) -> list[FieldProblem]:
    """A problem for each source that cannot be found or read now."""
    problems = []
    for source in job.sources:
        try:
            source.stat()
        except OSError as exc:
            payload = payload_from_os_error(exc, str(source), "read")
            problems.append(FieldProblem(field="sources", message=payload.describe()))
    return problems


def invalid_row(job: BatchJob, problems: list[FieldProblem]) -> BatchRow:
    """The row of a job that is skipped because of `problems`."""
    return BatchRow(
        row=job.row, occurrence=job.case.occurrence, outcome="invalid", problems=problems,
        error=ValidationError.of(problems, actual=f"row {job.row}"), template=job.template,
        sources=job.sources, destination=job.destination, case_folder=job.case_folder,
    )


def _parse(row: RawRow, base: Path, prefs: Preferences,
           templates: dict[str, Template | WorkbenchError]) -> BatchJob | BatchRow:
    problems = list(row.problems)
    occurrence = _single(row.cells.get("occurrence"))
    case = None
    recorder, recorder_problems = recorder_of(row.cells)
    problems += recorder_problems
    try:
        case = CaseData.model_validate(
            {name: row.cells[name] for name in CASE_COLUMNS if name in row.cells}
            | ({"recorders": [recorder]} if recorder is not None else {}),
            context={DATE_ORDER_CONTEXT: prefs.date_order})
    except WorkbenchError as exc:
        refused = {problem.field for problem in row.problems}
        problems += [problem for problem in _problems_of(exc, "case")
                     if problem.field not in refused]  # a refused cell is not also "missing"
    template_id = _single(row.cells.get("template")) or prefs.default_template
    template = templates.get(template_id)
    if template is None:
        try:
            template = templates[template_id] = get_template(template_id)
        except WorkbenchError as exc:
            template = templates[template_id] = exc
    case_path = None
    if isinstance(template, WorkbenchError):
        problems.append(FieldProblem(field="template", message=str(template)))
    elif case is not None:
        try:
            case_path = resolve_path(template, case).relative
        except WorkbenchError as exc:
            problems.append(FieldProblem(field="template", message=str(exc)))
    sources = _paths(row.cells.get("sources"), base)
    if not sources and "sources" not in {problem.field for problem in problems}:
        problems.append(FieldProblem(field="sources",
                                     message="is empty: give at least one file or folder"))
    destination = _single(row.cells.get("destination")) or prefs.destination_root
    if destination is None:
        problems.append(FieldProblem(
            field="destination",
            message="is empty and the preferences name no destination root",
        ))
    algorithms = None
    try:
        listed = row.cells.get("algorithms")
        algorithms = normalise_algorithms(listed if isinstance(listed, list)
                                          else prefs.hash_algorithms)
    except WorkbenchError as exc:
        problems += _problems_of(exc, "algorithms")
    root = None if destination is None else _absolute(destination, base)
    if problems or case is None or case_path is None or root is None or not algorithms:
        return BatchRow(
            row=row.number, occurrence=occurrence, outcome="invalid", problems=problems,
            error=ValidationError.of(problems, actual=f"row {row.number}"),
            template=template_id, sources=sources, destination=root,
            case_folder=None if root is None or case_path is None else root / case_path,
        )
    also_to = _paths(row.cells.get("also_to"), base)
    identity = {  # the intake time is the moment the row is read: not part of what it asks
        "case": case.model_dump(mode="json", exclude={"intake_time"}), "template": template_id,
        "sources": [str(path) for path in sources], "destination": str(root),
        "also_to": [str(path) for path in also_to], "algorithms": algorithms,
        "case_folder": str(root / case_path),
    }
    key = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:32]
    return BatchJob(
        row=row.number, key=key, case=case, template=template_id, sources=sources,
        destination=root, also_to=also_to, algorithms=algorithms, case_folder=root / case_path,
    )


def _problems_of(exc: WorkbenchError, default_field: str) -> list[FieldProblem]:
    payload = exc.payload
    if isinstance(payload, ValidationError):
        return [problem.model_copy(update={"field": problem.field.split(".")[0]})
                for problem in payload.problems]
    return [FieldProblem(field=default_field, message=str(exc))]


def _single(cell: Cell | None) -> str | None:
    if isinstance(cell, list):
        return ";".join(cell)
    return None if cell is None else str(cell)


def _paths(cell: Cell | None, base: Path) -> list[Path]:
    if cell is None:
        return []
    return [_absolute(item, base) for item in (cell if isinstance(cell, list) else [str(cell)])]


def _absolute(path: str | os.PathLike[str], base: Path) -> Path:
    """`path` (`~` expanded) made absolute against `base`, normalised, symlinks kept."""
    return Path(os.path.normpath(base / expand_user(path)))

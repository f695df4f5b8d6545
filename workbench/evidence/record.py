"""Writing a case folder's record: run reports, the custody log, and an audit's entries."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.atomic import write_atomic
from workbench.cases import CaseData
from workbench.errors import ErrorPayload, WorkbenchError, payload_from_os_error
from workbench.evidence import mhl
from workbench.evidence.custody import (
    AuditEntry,
    CopyEntry,
    append_custody,
    read_custody,
    who,
)
from workbench.evidence.layout import CUSTODY_LOG, EVIDENCE_DIR, RUNS_DIR, evidence_dir
from workbench.evidence.types import (
    CopyRow,
    CopyRows,
    VerifyReport,
    as_columns,
    copy_columns,
    counts,
)

log = logging.getLogger(__name__)

def record_failure(exc: OSError | WorkbenchError, case_dir: Path) -> ErrorPayload:
    """The typed payload of a failed evidence-record write in `case_dir`."""
    if isinstance(exc, WorkbenchError):
        return exc.payload
    return payload_from_os_error(exc, str(exc.filename or case_dir), "write the evidence record")


def write_run_report(
    case_dir: Path,
    started: datetime,
    meta: dict[str, Any],
    rows: Sequence[CopyRow],
    algorithms: Sequence[str],
) -> dict[str, Any]:
    """Write one run's report (`runs/<UTC start>_copy.csv` and `.json`: `meta` and every row);
    returns `meta` with the JSON report's path under `report`. Raises OSError."""
    stem = f"{file_stamp(started)}_copy"
    runs = evidence_dir(case_dir) / RUNS_DIR
    columns = CopyRows.of_any(rows)
    write_atomic(runs / f"{stem}.csv", _csv(columns, algorithms))
    meta = {**meta, "report": f"{RUNS_DIR}/{stem}.json"}
    write_atomic(runs / f"{stem}.json", _json(meta, columns))
    return meta


def write_audit_record(report: VerifyReport, entries: Iterable[mhl.MhlEntry],
                       metadata: Callable[[], bytes] = bytes) -> list[ErrorPayload]:
    """Append the audit to the custody log and, for a case it knows, an in-place MHL generation
    of `entries` (every file read, `verified` or `failed`; read once, as it is written).
    Returns what could not be written.
    """
    case_dir = report.case_dir
    try:
        append_custody(case_dir, AuditEntry(
            **who(), destination=str(case_dir),
            started=report.started.isoformat(), finished=report.finished.isoformat(),
            **_audit_totals(report), outcome="ok" if report.ok else "problems found",
            read_back_cache_free=report.read_back_cache_free,
        ))
        case = last_case(case_dir)
        if case is None:
            return []
        mhl.append_generation(
            case_dir, entries, process="in-place", case=case, started=report.started,
            finished=report.finished, ignore=(EVIDENCE_DIR,), metadata=metadata,
        )
    except (OSError, WorkbenchError) as exc:  # the audit's own result must still come back
        log.exception("could not record the audit of %s", case_dir)
        return [record_failure(exc, case_dir)]
    return []


def _audit_totals(report: VerifyReport) -> dict[str, Any]:
    """The custody line's `counts` by status and verified `bytes`, from the rows' columns."""
    rows = as_columns(report.rows)
    return {
        "counts": counts(list(rows.statuses())),
        "bytes": sum(record["size"] or 0 for record in rows.records() if record["status"] == "ok"),
    }


def last_case(case_dir: Path) -> CaseData | None:
    """The case data of the latest copy in the custody log, if there is one."""
    entry = last_copy(case_dir)
    return None if entry is None else CaseData.from_record(entry.case)


def last_copy(case_dir: Path) -> CopyEntry | None:
    """The custody entry of the latest copy with valid case data (template id, sources, ...);
    None when the log has none or cannot be read."""
    copies: list[CopyEntry] = []
    with contextlib.suppress(OSError):
        copies = [entry for entry in read_custody(evidence_dir(case_dir) / CUSTODY_LOG,
                                                  skip_bad=True)
                  if isinstance(entry, CopyEntry)]
    for entry in reversed(copies):
        with contextlib.suppress(WorkbenchError):
            CaseData.from_record(entry.case)
            return entry
    return None


ROWS_PER_CHUNK = 1024
"""Rows of a run report turned into text at once: the report is written as it is made."""


def _csv(rows: CopyRows, algorithms: Sequence[str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=copy_columns(algorithms))
    writer.writeheader()
    for chunk in _chunks(rows.records(algorithms)):
        writer.writerows(chunk)
        yield buffer.getvalue().encode("utf-8", "surrogateescape")  # undecodable names: raw
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8", "surrogateescape")


def _json(meta: dict[str, Any], rows: CopyRows) -> Iterator[bytes]:
    """`{**meta, "rows": [...]}` as `json.dumps` writes it, a chunk of rows at a time."""
    head = json.dumps({**meta, "rows": []})
    yield head[: -len("]}")].encode()
    separator = ""
    for chunk in _chunks(rows.dumps()):
        yield (separator + ", ".join(json.dumps(row) for row in chunk)).encode()
        separator = ", "
    yield b"]}"


def _chunks(records: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """`ROWS_PER_CHUNK` records at a time."""
    while chunk := list(itertools.islice(records, ROWS_PER_CHUNK)):
        yield chunk


def file_stamp(moment: datetime) -> str:
    """`moment` in UTC as it starts a record file's name: `20261120T140000.000000Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")

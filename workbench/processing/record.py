"""Each case folder's evidence record: manifests, run reports, custody log and MHL history."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.atomic import fsync_dir, write_atomic
from workbench.cases import CaseData
from workbench.errors import ErrorPayload, WorkbenchError, payload_from_os_error
from workbench.processing import mhl
from workbench.processing.layout import (
    CUSTODY_LOG,
    RUNS_DIR,
    case_folder_of,
    evidence_dir,
)
from workbench.processing.manifest import merge_manifest
from workbench.processing.provenance import identity
from workbench.processing.types import (
    EVIDENCE_DIR,
    CaseTarget,
    CopyReport,
    CopyRow,
    PlannedFile,
    VerifyReport,
)

log = logging.getLogger(__name__)

COPY_COLUMNS = ("source", "relative", "destination", "role", "size", "status")
"""The leading columns of a copy report; one column per algorithm and `error` follow."""


def copy_columns(report: CopyReport) -> list[str]:
    """The copy report's columns: `COPY_COLUMNS`, one per algorithm, then `error`."""
    return [*COPY_COLUMNS, *report.plan.algorithms, "error"]


def copy_records(report: CopyReport, rows: Sequence[CopyRow] | None = None) -> list[dict[str, Any]]:
    """The report's rows (or `rows`) as flat dicts: the columns, each digest, the error text."""
    algorithms = report.plan.algorithms
    return [
        {
            "source": str(row.source),
            "relative": row.relative.as_posix(),
            "destination": str(row.destination),
            "role": row.role,
            "size": row.size,
            "status": row.status,
            **{algorithm: row.hashes.get(algorithm, "") for algorithm in algorithms},
            "error": f"{row.error.type}: {row.error.describe()}" if row.error else "",
        }
        for row in (report.rows if rows is None else rows)
    ]


def write_copy_record(report: CopyReport) -> list[ErrorPayload]:
    """Update every destination's record; returns what failed (one destination failing does
    not stop the others' records)."""
    failures: list[ErrorPayload] = []
    for target in report.plan.targets:
        pairs = [
            (item, row) for item, row in zip(report.plan.items, report.rows, strict=True)
            if case_folder_of(row.destination, row.relative) == target.destination
        ]
        try:
            _write_target_record(report, target, pairs)
        except (OSError, WorkbenchError) as exc:
            log.exception("could not write the evidence record of %s", target.destination)
            failures.append(record_failure(exc, target.destination))
    return failures


def record_failure(exc: OSError | WorkbenchError, case_dir: Path) -> ErrorPayload:
    """The typed payload of a failed evidence-record write in `case_dir`."""
    if isinstance(exc, WorkbenchError):
        return exc.payload
    return payload_from_os_error(exc, str(exc.filename or case_dir), "write the evidence record")


def _write_target_record(
    report: CopyReport, target: CaseTarget, pairs: list[tuple[PlannedFile, CopyRow]]
) -> None:
    case_dir = target.destination
    rows = [row for _, row in pairs]
    for algorithm in report.plan.algorithms:
        entries = {
            row.relative.as_posix(): row.hashes[algorithm]
            for row in rows if row.status in ("verified", "skipped") and algorithm in row.hashes
        }
        if entries:
            merge_manifest(case_dir, algorithm, entries)
    stem = f"{_stamp(report.started)}_copy"
    runs = evidence_dir(case_dir) / RUNS_DIR
    write_atomic(runs / f"{stem}.csv", _csv(copy_records(report, rows), copy_columns(report)))
    summary = _counts(rows)
    meta = {
        "event": "copy",
        "destination": str(case_dir),
        "role": target.role,
        "user": report.user,
        "host": report.host,
        "tool_version": report.tool_version,
        "started": report.started.isoformat(),
        "finished": report.finished.isoformat(),
        "sources": [str(source) for source in report.plan.sources],
        "template_id": report.plan.template_id,
        "case": report.plan.case.model_dump(mode="json"),
        "technician": report.plan.case.technician,
        "badge_number": report.plan.case.badge_number,
        "algorithms": list(report.plan.algorithms),
        "counts": summary,
        "bytes": sum(row.size for row in rows if row.status == "verified"),
        "outcome": report.outcome,
        "report": f"{RUNS_DIR}/{stem}.json",
    }
    rows_json = [row.model_dump(mode="json") for row in rows]
    write_atomic(runs / f"{stem}.json", json.dumps({**meta, "rows": rows_json}).encode())
    append_custody(case_dir, meta)
    mhl.append_generation(
        case_dir,
        [
            mhl.MhlEntry.model_construct(  # fields come typed from validated rows
                relative=row.relative, size=row.size,
                mtime=datetime.fromtimestamp(item.mtime_ns / 1e9, timezone.utc),
                hashes=row.hashes, action="original" if row.status == "verified" else "failed",
            )
            for item, row in pairs if row.status in ("verified", "mismatch") and row.hashes
        ],
        process="transfer", case=report.plan.case, started=report.started,
        finished=report.finished, ignore=(EVIDENCE_DIR,),
    )


def write_audit_record(
    report: VerifyReport,
    sizes_mtimes: dict[str, tuple[int, int]],
    digests: dict[str, dict[str, str]],
) -> list[ErrorPayload]:
    """Append the audit to the custody log and, for a case it knows, an in-place MHL generation.

    `sizes_mtimes` maps each present file's relative path to (size, mtime_ns), `digests` to
    its digests read now by algorithm. Returns what could not be written.
    """
    user, host, version = identity()
    case_dir = report.case_dir
    counts = Counter(row.status for row in report.rows)
    try:
        append_custody(case_dir, {
            "event": "audit",
            "destination": str(case_dir),
            "user": user,
            "host": host,
            "tool_version": version,
            "started": report.started.isoformat(),
            "finished": report.finished.isoformat(),
            "counts": {status: counts[status] for status in sorted(counts)},
            "bytes": sum(row.size or 0 for row in report.rows if row.status == "ok"),
            "outcome": "ok" if report.ok else "problems found",
        })
        case = last_case(case_dir)
        if case is None:
            return []
        entries = [
            mhl.MhlEntry.model_construct(  # fields come typed from validated rows
                relative=row.path, size=sizes_mtimes[key][0],
                mtime=datetime.fromtimestamp(sizes_mtimes[key][1] / 1e9, timezone.utc),
                hashes=digests[key], action="verified" if row.status == "ok" else "failed",
            )
            for row in report.rows
            if row.status in ("ok", "modified") and (key := row.path.as_posix()) in digests
        ]
        mhl.append_generation(
            case_dir, entries, process="in-place", case=case, started=report.started,
            finished=report.finished, ignore=(EVIDENCE_DIR,),
        )
    except (OSError, WorkbenchError) as exc:  # the audit's own result must still come back
        log.exception("could not record the audit of %s", case_dir)
        return [record_failure(exc, case_dir)]
    return []


def last_case(case_dir: Path) -> CaseData | None:
    """The case data of the latest copy in the custody log, if there is one."""
    try:
        lines = (evidence_dir(case_dir) / CUSTODY_LOG).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        with contextlib.suppress(ValueError, WorkbenchError):
            entry = json.loads(line)
            if entry.get("event") == "copy" and isinstance(entry.get("case"), dict):
                return CaseData.model_validate(entry["case"])
    return None


def append_custody(case_dir: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line to the custody log and make it durable (never rewrites the log)."""
    folder = evidence_dir(case_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CUSTODY_LOG
    created = not path.exists()
    line = json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(folder)


def _counts(rows: Sequence[CopyRow]) -> dict[str, int]:
    counts = Counter(row.status for row in rows)
    return {status: counts[status] for status in sorted(counts)}


def _csv(records: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8", "surrogateescape")  # undecodable names: raw bytes


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")

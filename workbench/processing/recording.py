"""A copy's evidence record at each destination: manifests, run report, custody line, MHL,
and last the identity of each file verified (`evidence.identity`).

Each of these writes leaves the old state or the new one if the process dies in it; the
identities come last, so a run killed anywhere before them leaves its verified files to be
re-read cold (and the record completed) by the next run, never skipped on trust.
One destination failing to record does not stop the others' records; what failed is
returned as typed payloads.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import PurePosixPath

from workbench.errors import ErrorPayload, WorkbenchError
from workbench.evidence import mhl
from workbench.evidence.custody import CopyEntry, append_custody
from workbench.evidence.integrity import (
    Identity,
    identity_of,
    merge_identities,
    record_digests,
    render_record_digests,
)
from workbench.evidence.layout import EVIDENCE_DIR
from workbench.evidence.manifest import merge_manifest
from workbench.evidence.record import record_failure, write_run_report
from workbench.evidence.types import CopyRows, counts
from workbench.processing.types import CaseTarget, CopyReport, PlannedFiles

log = logging.getLogger(__name__)


def write_copy_record(report: CopyReport) -> list[ErrorPayload]:
    """Update every destination's record; returns what failed."""
    failures: list[ErrorPayload] = []
    row_targets = report.plan.row_targets()
    for number, target in enumerate(report.plan.targets):
        indices = [i for i, of in enumerate(row_targets) if of == number]
        try:
            _write_target_record(report, target, indices)
        except (OSError, WorkbenchError) as exc:
            log.exception("could not write the evidence record of %s", target.destination)
            failures.append(record_failure(exc, target.destination))
    return failures


def _write_target_record(report: CopyReport, target: CaseTarget, indices: list[int]) -> None:
    """One destination's record from its rows (`indices` into the plan and the report), read
    from the report's columns, never all made into rows at once."""
    case_dir = target.destination
    rows = CopyRows.of_any(report.rows).select(indices)
    relative, status, hashes, destination, size = (  # the paths as text
        rows.column(name) for name in ("relative", "status", "hashes", "destination", "size"))
    for algorithm in report.plan.algorithms:
        entries = {
            relative[i]: hashes[i][algorithm] for i in rows.indices()
            if status[i] in ("verified", "skipped") and algorithm in hashes[i]
        }
        if entries:
            merge_manifest(case_dir, algorithm, entries)
    meta = write_run_report(case_dir, report.started, {
        "event": "copy",
        "destination": str(case_dir),
        "role": target.role,
        "user": report.user,
        "host": report.host,
        "tool_version": report.tool_version,
        "started": report.started.isoformat(),
        "finished": report.finished.isoformat(),
        "sources": [str(source) for source in report.plan.sources],
        "source_volumes": [volume.model_dump(mode="json") for volume in report.plan.source_volumes],
        "template_id": report.plan.template_id,
        "case": report.plan.case.model_dump(mode="json"),
        "technician": report.plan.case.technician,
        "badge_number": report.plan.case.badge_number,
        "algorithms": list(report.plan.algorithms),
        "source_records": [
            {"source": str(found.source), "missing": len(found.missing),
             "problems": len(found.problems),
             "records": [ref.model_dump(mode="json") for ref in found.records]}
            for found in report.plan.source_records
        ],
        "counts": counts([status[i] for i in rows.indices()]),
        "bytes": sum(size[i] for i in rows.indices() if status[i] == "verified"),
        "outcome": report.outcome,
        "read_back_cache_free": report.read_back_cache_free,
        "record_digests": [digest.as_json() for digest in record_digests(case_dir)],
    }, rows, report.plan.algorithms)
    append_custody(case_dir, CopyEntry(**meta))
    mhl.append_generation(
        case_dir, _mhl_entries(rows, PlannedFiles.of_any(report.plan.items).select(indices)),
        process="transfer", case=report.plan.case,
        started=report.started, finished=report.finished, ignore=(EVIDENCE_DIR,),
        metadata=lambda: render_record_digests(record_digests(case_dir)),
    )
    merge_identities(case_dir, dict(_identities(
        (relative[i], destination[i]) for i in rows.indices()
        if status[i] == "verified")))


def _identities(files: Iterable[tuple[str, str]]) -> Iterator[tuple[str, Identity]]:
    """Each verified file's identity now (a file gone since is left out: re-read next time)."""
    for name, path in files:
        with contextlib.suppress(OSError):
            yield name, identity_of(os.lstat(path))


def _mhl_entries(rows: CopyRows, items: PlannedFiles) -> Iterator[mhl.MhlEntry]:
    """An ASC MHL entry for every file copied or failed (`rows` and the plan's `items` of one
    destination), made one at a time from their columns as the generation is written."""
    for relative, size, status, hashes, action, recorded, expected, mtime_ns in zip(*(
            rows.values(name) for name in ("relative", "size", "status", "hashes")), *(
            items.values(name) for name in ("action", "hashes", "expected", "mtime_ns")),
            strict=True):
        if status in ("verified", "mismatch") and hashes:
            seen = action == "recheck" and bool(recorded)  # re-verified against a record
            yield mhl.MhlEntry.from_checked(  # fields come typed from validated rows
                relative=PurePosixPath(relative), size=size,
                mtime=datetime.fromtimestamp(mtime_ns / 1e9, timezone.utc), hashes=hashes,
                action="failed" if status != "verified" else "verified" if seen else "original",
                verified_against=list(expected or ()) if status == "verified" else [],
            )

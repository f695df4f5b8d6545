"""A copy's evidence record at each destination: manifests, run report, custody line, MHL.

One destination failing to record does not stop the others' records; what failed is
returned as typed payloads.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from workbench.errors import ErrorPayload, WorkbenchError
from workbench.evidence import mhl
from workbench.evidence.layout import EVIDENCE_DIR, case_folder_of
from workbench.evidence.manifest import merge_manifest
from workbench.evidence.record import append_custody, record_failure, write_run_report
from workbench.evidence.types import CopyRow, counts
from workbench.processing.types import CaseTarget, CopyReport, PlannedFile

log = logging.getLogger(__name__)


def write_copy_record(report: CopyReport) -> list[ErrorPayload]:
    """Update every destination's record; returns what failed."""
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
        "template_id": report.plan.template_id,
        "case": report.plan.case.model_dump(mode="json"),
        "technician": report.plan.case.technician,
        "badge_number": report.plan.case.badge_number,
        "algorithms": list(report.plan.algorithms),
        "counts": counts([row.status for row in rows]),
        "bytes": sum(row.size for row in rows if row.status == "verified"),
        "outcome": report.outcome,
        "read_back_cache_free": report.read_back_cache_free,
    }, rows, report.plan.algorithms)
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

"""Batch intake: every row checked and planned before anything is copied, then the cases
copied one after another (or N at once), each state change in the journal.

One bad row never stops the others: an invalid row is reported and skipped, a copy that
cannot run is a `failed` row. Cancel stops the running copies within a chunk (they leave
no partial file) and starts no other; running the batch again resumes from the journal.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import events
from workbench.batch.jobs import check_sources, invalid_row, parse_rows
from workbench.batch.journal import Journal, JournalEntry, journal_path
from workbench.batch.progress import BatchProgressCallback, BatchTracker
from workbench.batch.table import read_table
from workbench.batch.types import DONE, BatchCheck, BatchJob, BatchReport, BatchRow
from workbench.cases import DateOrder
from workbench.errors import (
    Cancelled,
    ErrorPayload,
    FieldProblem,
    PathNotFound,
    PermissionDenied,
    ValidationError,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.events import CancelToken, Outcome
from workbench.preferences.commands import load_preferences
from workbench.processing.commands import plan_copy, run_copy
from workbench.processing.types import FAILED, CopyPlan, CopyReport

if TYPE_CHECKING:
    import pandas as pd

NOT_STARTED = "the batch was cancelled before this case started"
"""The cancel detail of a case the batch never began."""


def check_batch(cases: pd.DataFrame | str | os.PathLike[str], journal: Path | None = None,
                date_order: DateOrder | None = None) -> BatchCheck:
    """Every row of the batch checked, without copying: the case, the template, the paths
    (each source must exist now) and what the journal says is done already."""
    table = read_table(cases)
    path = journal or journal_path(table)
    log_of_jobs = Journal(path)
    states = log_of_jobs.states()
    rows: list[BatchRow] = []
    jobs: list[BatchJob] = []
    prefs = load_preferences()
    if date_order is not None:
        prefs = prefs.model_copy(update={"date_order": date_order})
    for item in parse_rows(table, prefs):
        if isinstance(item, BatchRow):
            rows.append(item)
            continue
        done = log_of_jobs.done(item, states)
        problems = [] if done else check_sources(item)
        if done is not None:
            rows.append(_done_row(item, done))
        elif problems:
            rows.append(invalid_row(item, problems))
        else:
            rows.append(_row(item, "ready"))
            jobs.append(item)
    return BatchCheck(source=table.source, journal=path, rows=rows, jobs=jobs)


def run_batch(
    cases: pd.DataFrame | str | os.PathLike[str],
    *,
    on_progress: BatchProgressCallback | None = None,
    cancel: CancelToken | None = None,
    parallel: int = 1,
    journal: Path | None = None,
    date_order: DateOrder | None = None,
) -> BatchReport:
    """Check and plan every row, then copy the ready cases; emits `batch:finished`."""
    started = datetime.now(timezone.utc)
    cancel = cancel or CancelToken()
    check = check_batch(cases, journal, date_order)
    rows = {row.row: row for row in check.rows}
    plans: list[tuple[BatchJob, CopyPlan]] = []
    for job in check.jobs:
        try:
            plans.append((job, plan_copy(job.sources, job.case, job.template, job.destination,
                                         also_to=job.also_to, algorithms=job.algorithms)))
        except WorkbenchError as exc:
            rows[job.row] = invalid_row(job, [_plan_problem(job, exc.payload)])
    tracker = BatchTracker(
        {job.row: (job.case.occurrence, _bytes_to_read(plan)) for job, plan in plans},
        on_progress,
    )
    runner = _Runner(Journal(check.journal), tracker, cancel)
    runner.journal.check_writable()
    with ThreadPoolExecutor(parallel, "wb-batch") as pool:
        for row, copy in pool.map(lambda pair: runner.run(*pair), plans):
            rows[row.row] = row
            if copy is not None:
                runner.copies.append(copy)
    ordered = [rows[number] for number in sorted(rows)]
    report = BatchReport(
        source=check.source, journal=check.journal, rows=ordered, copies=runner.copies,
        outcome=_outcome(ordered, cancel), started=started, finished=datetime.now(timezone.utc),
    )
    events.emit(events.BATCH_FINISHED, report)
    return report


class _Runner:
    """Runs one planned case: journal, copy, row."""

    def __init__(self, journal: Journal, tracker: BatchTracker, cancel: CancelToken) -> None:
        self.journal, self.tracker, self.cancel = journal, tracker, cancel
        self.copies: list[CopyReport] = []

    def run(self, job: BatchJob, plan: CopyPlan) -> tuple[BatchRow, CopyReport | None]:
        if self.cancel.cancelled:
            return _row(job, "cancelled", error=Cancelled(detail=NOT_STARTED)), None
        self.journal.record(job, "running")
        self.tracker.started(job.row)
        try:
            report = run_copy(plan, on_progress=self.tracker.relay(job.row), cancel=self.cancel)
        except WorkbenchError as exc:
            return self._failed(job, exc.payload), None
        except OSError as exc:
            return self._failed(job, payload_from_os_error(exc, str(job.case_folder))), None
        finally:
            self.tracker.finished(job.row)
        row = _copied_row(job, report)
        self.journal.record(job, report.outcome, counts=_counts(report),
                            bytes_verified=row.bytes_verified, duration_s=row.duration_s,
                            error=row.error_text())
        return row, report

    def _failed(self, job: BatchJob, payload: ErrorPayload) -> BatchRow:
        row = _row(job, "failed", error=payload)
        self.journal.record(job, "failed", error=row.error_text())
        return row


def _row(job: BatchJob, outcome: str, **fields: object) -> BatchRow:
    return BatchRow.model_validate({
        "row": job.row, "occurrence": job.case.occurrence, "outcome": outcome,
        "case_folder": job.case_folder, "template": job.template, "sources": job.sources,
        "destination": job.destination, **fields,
    })


def _done_row(job: BatchJob, entry: JournalEntry) -> BatchRow:
    counts = entry.counts
    return _row(
        job, "already_done", files=sum(counts.values()), verified=counts.get("verified", 0),
        skipped=counts.get("skipped", 0), bytes_verified=entry.bytes_verified,
        duration_s=entry.duration_s,
    )


def _copied_row(job: BatchJob, report: CopyReport) -> BatchRow:
    counts = Counter(row.status for row in report.rows)
    error = next((row.error for row in report.rows if row.status in FAILED and row.error),
                 report.record_errors[0] if report.record_errors else None)
    if report.outcome == "cancelled" and error is None:
        error = Cancelled(detail="the batch was cancelled during this case's copy")
    return _row(
        job, report.outcome, files=len(report.rows), verified=counts["verified"],
        skipped=counts["skipped"], failed=sum(counts[status] for status in FAILED),
        cancelled=counts["cancelled"],
        bytes_verified=sum(row.size for row in report.rows if row.status == "verified"),
        duration_s=round((report.finished - report.started).total_seconds(), 3), error=error,
    )


def _counts(report: CopyReport) -> dict[str, int]:
    return dict(sorted(Counter(row.status for row in report.rows).items()))


def _bytes_to_read(plan: CopyPlan) -> int:
    """Source bytes the copy reads: each source file to copy, once for every destination."""
    return sum({item.source: item.size for item in plan.items if item.action == "copy"}.values())


def _plan_problem(job: BatchJob, payload: ErrorPayload) -> FieldProblem:
    """The field of the row a planning error is about."""
    if isinstance(payload, ValidationError):
        name = {"destination_root": "destination"}.get(payload.field, payload.field)
        return FieldProblem(field=name.split(".")[0], message=payload.message)
    name = "sources"
    if isinstance(payload, PathNotFound | PermissionDenied):
        roots = {str(job.destination): "destination",
                 **{str(root): "also_to" for root in job.also_to}}
        name = next((field for root, field in roots.items() if payload.path.startswith(root)),
                    name)
    return FieldProblem(field=name, message=payload.describe())


def _outcome(rows: list[BatchRow], cancel: CancelToken) -> Outcome:
    if cancel.cancelled and any(row.outcome == "cancelled" for row in rows):
        return "cancelled"
    return "completed" if all(row.outcome in DONE for row in rows) else "completed_with_errors"

"""Types of a batch of cases: one job per valid row, a row's outcome, the check before a run,
batch-wide progress and the batch report."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from workbench.cases import CaseData
from workbench.errors import BatchError, ErrorPayload, FieldProblem
from workbench.events import Outcome
from workbench.evidence.types import timing
from workbench.hashing.algorithms import HashAlgorithm
from workbench.model import Contract
from workbench.processing.types import CopyReport

if TYPE_CHECKING:
    import pandas as pd

RowOutcome = Literal[
    "ready", "invalid", "already_done", "completed", "completed_with_errors", "failed",
    "cancelled",
]
"""What became of one row: `ready` (checked, not run yet), `invalid` (skipped: see its
problems), `already_done` (an earlier run of the batch completed it), the copy's outcome, or
`failed` (the copy could not run: see its error)."""
DONE: tuple[RowOutcome, ...] = ("completed", "already_done")
"""Row outcomes that need nothing more."""

CHECK_COLUMNS = ["row", "occurrence", "template", "sources", "destination", "case_folder",
                 "status", "problems"]
"""Columns of the table a batch is checked as."""
BATCH_COLUMNS = ["row", "occurrence", "outcome", "files", "verified", "skipped", "failed",
                 "cancelled", "bytes_verified", "duration_s", "case_folder", "error"]
"""Columns of the batch report: one row per case."""


class BatchJob(Contract):
    """One valid row of a batch: what to copy, where, for which case."""

    error_class: ClassVar = BatchError

    row: int
    """Position of the row among the batch's cases, from 1 (the first case under the header)."""
    key: str
    """Digest of everything that defines the job; the journal knows the job by it."""
    case: CaseData
    """The case the folders are named from."""
    template: str
    """Template id."""
    sources: list[Path]
    """Source files and folders, absolute."""
    destination: Path
    """Destination root of the master copy."""
    also_to: list[Path] = Field(default_factory=list)
    """Destination roots of the working copies."""
    algorithms: list[HashAlgorithm]
    """Digests of the copy (blake3 first)."""
    case_folder: Path
    """The master case folder the template names under `destination`."""


class BatchRow(Contract):
    """One case of a batch: checked, skipped or run."""

    error_class: ClassVar = BatchError

    row: int
    """Position of the row among the batch's cases, from 1."""
    occurrence: str | None = None
    """The case's occurrence number, as given."""
    outcome: RowOutcome
    """ready, invalid, already_done, completed, completed_with_errors, failed or cancelled."""
    case_folder: Path | None = None
    """The master case folder (None when the row is invalid)."""
    template: str | None = None
    """Template id of the row."""
    sources: list[Path] = Field(default_factory=list)
    """Source files and folders of the row."""
    destination: Path | None = None
    """Destination root of the master copy."""
    files: int = 0
    """Rows of the copy report (one per file per destination)."""
    verified: int = 0
    """Files verified by this run."""
    skipped: int = 0
    """Files already verified at their destination."""
    failed: int = 0
    """Files that mismatched or failed."""
    cancelled: int = 0
    """Files not copied because the batch was cancelled."""
    bytes_verified: int = 0
    """Bytes verified by this run, every destination counted."""
    duration_s: float = 0.0
    """Seconds the copy took."""
    error: ErrorPayload | None = None
    """Why the row is invalid, failed or not complete (the first problem)."""
    problems: list[FieldProblem] = Field(default_factory=list)
    """Every field problem of an invalid row."""

    def error_text(self) -> str:
        """The error as one line: every problem of an invalid row, else the error's sentence."""
        if self.problems:
            return "; ".join(f"{problem.field}: {problem.message}" for problem in self.problems)
        return f"{self.error.type}: {self.error.describe()}" if self.error else ""


class BatchCheck(Contract):
    """A batch as checked before anything is copied: every row ready, invalid or done."""

    error_class: ClassVar = BatchError

    source: str
    """The CSV file, or `DataFrame`."""
    journal: Path
    """The journal that records the batch's jobs (and lets a re-run resume)."""
    rows: list[BatchRow]
    """One row per case, in table order."""
    jobs: list[BatchJob]
    """The rows that will run, in table order."""

    def to_frame(self) -> pd.DataFrame:
        """The batch as a table: row, case, where it goes, status and problems."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [
                {
                    "row": row.row,
                    "occurrence": row.occurrence or "",
                    "template": row.template or "",
                    "sources": "; ".join(str(source) for source in row.sources),
                    "destination": str(row.destination or ""),
                    "case_folder": str(row.case_folder or ""),
                    "status": row.outcome,
                    "problems": row.error_text(),
                }
                for row in self.rows
            ],
            columns=CHECK_COLUMNS,
        )
        return frame

    def problems(self) -> pd.DataFrame:
        """One line per problem of every invalid row: row, field, message."""
        return problem_frame(self.rows)


def problem_frame(rows: list[BatchRow]) -> pd.DataFrame:
    """One line per field problem (or error) of each row that has one."""
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(
        [
            {"row": row.row, "field": problem.field, "message": problem.message}
            for row in rows for problem in row.problems
        ] + [
            {"row": row.row, "field": "", "message": row.error_text()}
            for row in rows if row.error and not row.problems and row.outcome != "cancelled"
        ],
        columns=["row", "field", "message"],
    )
    ordered: pd.DataFrame = frame.sort_values("row", kind="stable").reset_index(drop=True)
    return ordered


class BatchProgress(Contract):
    """A throttled snapshot of a running batch (also emitted as `batch:progress`)."""

    percent: float
    """0–100, by source bytes to copy over every case of the run."""
    bytes_done: int
    """Source bytes read so far, over every case."""
    bytes_total: int
    """Source bytes to read over every case of the run."""
    cases_done: int
    """Cases finished (whatever their outcome)."""
    cases_total: int
    """Cases this run copies."""
    current_row: int | None = None
    """Row of the case that reported last."""
    current_case: str = ""
    """Occurrence of that case."""
    current_file: str = ""
    """File it is reading."""
    running: list[int] = Field(default_factory=list)
    """Rows being copied right now."""
    speed_mbps: float = 0.0
    """Average read speed so far, in MB/s."""


class BatchReport(Contract):
    """The result of `run_batch`: one row per case, with each copy's own report."""

    error_class: ClassVar = BatchError

    source: str
    """The CSV file, or `DataFrame`."""
    journal: Path
    """The journal of the batch; running the batch again resumes from it."""
    rows: list[BatchRow]
    """One row per case, in table order."""
    copies: list[CopyReport] = Field(default_factory=list)
    """The copy report of every case this run copied, in table order."""
    outcome: Outcome
    """completed (every case completed or already done), completed_with_errors or cancelled."""
    started: datetime
    """UTC start of the run."""
    finished: datetime
    """UTC end of the run."""

    @property
    def ok(self) -> bool:
        """True when every case completed (now or in an earlier run)."""
        return self.outcome == "completed"

    def to_frame(self) -> pd.DataFrame:
        """One row per case: outcome, counts, bytes, duration, case folder and error."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [
                {
                    **row.model_dump(include=set(BATCH_COLUMNS) - {"case_folder", "error"}),
                    "occurrence": row.occurrence or "",
                    "case_folder": str(row.case_folder or ""),
                    "error": row.error_text(),
                }
                for row in self.rows
            ],
            columns=BATCH_COLUMNS,
        )
        return frame

    def problems(self) -> pd.DataFrame:
        """One line per problem: invalid rows' fields and failed cases' errors, by row."""
        return problem_frame(self.rows)

    def copy_report(self, row: int) -> CopyReport | None:
        """The copy report of the case in `row`, if this run copied it."""
        folders = {copy.plan.destination: copy for copy in self.copies}
        match = next((r for r in self.rows if r.row == row), None)
        return folders.get(match.case_folder) if match and match.case_folder else None

    def summary(self) -> dict[str, Any]:
        """Cases by outcome, bytes verified, duration (s) and throughput (MB/s)."""
        found = Counter(row.outcome for row in self.rows)
        copied = sum(row.bytes_verified for row in self.rows)
        return {
            "outcome": self.outcome,
            "cases": len(self.rows),
            **{outcome: found[outcome] for outcome in (
                "completed", "already_done", "completed_with_errors", "failed", "invalid",
                "cancelled")},
            "bytes_verified": copied,
            **timing(self.started, self.finished, copied),
        }

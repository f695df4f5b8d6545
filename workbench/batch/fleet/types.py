"""Types of the fleet audit: one row per case folder, progress, and the fleet report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from workbench.errors import BatchError, ErrorPayload
from workbench.events import Outcome
from workbench.evidence.types import VerifyReport, VerifyRow, timing
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

MAX_PROBLEMS = 100
"""Rows that are not ok kept per case folder (the counts always cover all of them)."""
FLEET_COLUMNS = ["case_folder", "ok", "ok_files", "modified", "missing", "extra", "files",
                 "bytes_checked", "duration_s", "worker", "problems", "error"]
"""Columns of the fleet table: one row per case folder."""


class FleetRow(Contract):
    """The audit of one case folder."""

    error_class: ClassVar = BatchError

    case_folder: Path
    """The case folder."""
    ok: bool
    """Every file present and unmodified, nothing extra, and the audit ran."""
    ok_files: int = 0
    """Files that match the manifest."""
    modified: int = 0
    """Files whose bytes differ from the manifest."""
    missing: int = 0
    """Files in the manifest that are gone."""
    extra: int = 0
    """Files the manifest does not list."""
    files: int = 0
    """Rows of the audit."""
    bytes_checked: int = 0
    """Bytes re-hashed."""
    duration_s: float = 0.0
    """Seconds the audit took."""
    worker: str | None = None
    """The Dask worker that ran it."""
    problems: list[VerifyRow] = Field(default_factory=list)
    """The rows that are not ok (at most `MAX_PROBLEMS`)."""
    error: ErrorPayload | None = None
    """Why the case folder could not be audited (unreadable, vanished, worker died ...)."""
    record_errors: list[ErrorPayload] = Field(default_factory=list)
    """Audit-record writes (custody log, MHL generation) that failed."""

    @classmethod
    def of_report(cls, report: VerifyReport, worker: str | None) -> FleetRow:
        """The row of a finished audit."""
        summary = report.summary()
        return cls(
            case_folder=report.case_dir, ok=report.ok, ok_files=summary["ok"],
            modified=summary["modified"], missing=summary["missing"], extra=summary["extra"],
            files=summary["files"], bytes_checked=summary["bytes_checked"],
            duration_s=summary["duration_s"], worker=worker,
            problems=[row for row in report.rows if row.status != "ok"][:MAX_PROBLEMS],
            record_errors=report.record_errors,
        )

    def problem_text(self) -> str:
        """The rows that are not ok as `status: path`, `; `-separated."""
        shown = "; ".join(f"{row.status}: {row.path.as_posix()}" for row in self.problems)
        hidden = self.modified + self.missing + self.extra - len(self.problems)
        return shown + (f"; … and {hidden} more" if hidden > 0 else "")

    def error_text(self) -> str:
        """The error as `Type: sentence`, or empty."""
        return f"{self.error.type}: {self.error.describe()}" if self.error else ""


class FleetProgress(Contract):
    """How far a fleet audit is: sent after each case folder finishes."""

    cases_done: int
    """Case folders audited (or failed) so far."""
    cases_total: int
    """Case folders to audit."""
    failed: int
    """Of those done, how many are not ok."""
    current: Path | None = None
    """The case folder that finished last."""

    @property
    def percent(self) -> float:
        """0–100 by case folders."""
        return 100.0 * self.cases_done / self.cases_total if self.cases_total else 100.0


class FleetReport(Contract):
    """The result of `audit_cases`: one row per case folder found under the roots."""

    error_class: ClassVar = BatchError

    roots: list[Path]
    """The folders searched for case folders."""
    scheduler: str
    """Address of the Dask scheduler that ran the audit."""
    workers: int
    """Workers the scheduler had when the audit started."""
    rows: list[FleetRow]
    """One row per case folder, sorted by folder."""
    started: datetime
    """UTC start of the audit."""
    finished: datetime
    """UTC end of the audit."""
    outcome: Outcome = "completed"
    """`cancelled`: stopped on its token; case folders not audited are `Cancelled` rows."""

    @property
    def ok(self) -> bool:
        """True when at least one case folder was found and every one is ok (never when
        cancelled)."""
        return self.outcome == "completed" and bool(self.rows) and all(
            row.ok for row in self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per case folder, failures first."""
        import pandas as pd

        ordered = sorted(self.rows, key=lambda row: (row.ok, str(row.case_folder)))
        frame: pd.DataFrame = pd.DataFrame(
            [
                {
                    **row.model_dump(include=set(FLEET_COLUMNS) - {"case_folder"}),
                    "case_folder": str(row.case_folder),
                    "problems": row.problem_text(),
                    "error": row.error_text(),
                }
                for row in ordered
            ],
            columns=FLEET_COLUMNS,
        )
        return frame

    def failures(self) -> pd.DataFrame:
        """Only the case folders that are not ok."""

        frame = self.to_frame()
        failed: pd.DataFrame = frame[~frame["ok"]].reset_index(drop=True)
        return failed

    def summary(self) -> dict[str, Any]:
        """Case folders ok / failed / not audited, files, bytes, duration, throughput."""
        checked = sum(row.bytes_checked for row in self.rows)
        return {
            "ok": self.ok,
            "cases": len(self.rows),
            "cases_ok": sum(row.ok for row in self.rows),
            "cases_failed": sum(not row.ok and row.error is None for row in self.rows),
            "cases_not_audited": sum(row.error is not None for row in self.rows),
            "files": sum(row.files for row in self.rows),
            "bytes_checked": checked,
            "workers": self.workers,
            **timing(self.started, self.finished, checked),
        }

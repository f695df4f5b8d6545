"""Tables and summaries of plans, copies and audits (pandas DataFrames, no display code)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pandas as pd

from workbench.errors import HashMismatch
from workbench.processing.record import copy_columns, copy_records
from workbench.processing.types import CopyPlan, CopyReport, RowStatus, VerifyReport

PLAN_COLUMNS = ["source", "relative", "destination", "role", "size", "action", "error"]
"""Columns of the plan preview."""
VERIFY_COLUMNS = ["path", "status", "algorithm", "expected", "actual", "size"]
"""Columns of an audit table."""
FAILED: tuple[RowStatus, ...] = ("mismatch", "error")
"""Row statuses that count as failures."""
STATUSES: tuple[RowStatus, ...] = ("verified", "skipped", *FAILED, "cancelled")
"""Every row status, in report order."""


def plan_frame(plan: CopyPlan) -> pd.DataFrame:
    """The preview: one row per file per destination, with what the copy will do."""
    frame: pd.DataFrame = pd.DataFrame(
        [
            {
                "source": str(item.source),
                "relative": item.relative.as_posix(),
                "destination": str(item.destination),
                "role": item.role,
                "size": item.size,
                "action": item.action,
                "error": f"{item.error.type}: {item.error.describe()}" if item.error else "",
            }
            for item in plan.items
        ],
        columns=PLAN_COLUMNS,
    )
    return frame


def copy_frame(report: CopyReport) -> pd.DataFrame:
    """One row per file per destination: status, one column per digest, the error text."""
    frame: pd.DataFrame = pd.DataFrame(copy_records(report), columns=copy_columns(report))
    return frame


def copy_mismatches(report: CopyReport) -> pd.DataFrame:
    """Only the failed rows, with the expected and read-back digests where there are some."""
    failed = [row for row in report.rows if row.status in FAILED]
    frame: pd.DataFrame = pd.DataFrame(copy_records(report, failed), columns=copy_columns(report))
    mismatch = [row.error if isinstance(row.error, HashMismatch) else None for row in failed]
    frame["expected"] = [error.expected if error else "" for error in mismatch]
    frame["actual"] = [error.actual if error else "" for error in mismatch]
    return frame


def copy_summary(report: CopyReport) -> dict[str, Any]:
    """Counts by status, verified bytes, duration (s) and throughput (MB/s)."""
    counts = Counter(row.status for row in report.rows)
    copied = sum(row.size for row in report.rows if row.status == "verified")
    return {
        "outcome": report.outcome,
        **{status: counts[status] for status in STATUSES},
        "files": len(report.rows),
        "bytes_verified": copied,
        **_timing(report.started, report.finished, copied),
    }


def verify_frame(report: VerifyReport) -> pd.DataFrame:
    """One row per file: path, status, algorithm, expected, actual, size."""
    frame: pd.DataFrame = pd.DataFrame(
        [{**row.model_dump(), "path": row.path.as_posix()} for row in report.rows],
        columns=VERIFY_COLUMNS,
    )
    return frame


def verify_mismatches(report: VerifyReport) -> pd.DataFrame:
    """Only the rows that are not ok."""
    frame = verify_frame(report)
    problems: pd.DataFrame = frame[frame["status"] != "ok"].reset_index(drop=True)
    return problems


def verify_summary(report: VerifyReport) -> dict[str, Any]:
    """Counts by status, bytes checked, duration (s) and throughput (MB/s)."""
    counts = Counter(row.status for row in report.rows)
    checked = sum(row.size or 0 for row in report.rows if row.status in ("ok", "modified"))
    return {
        "ok": report.ok,
        **{status: counts[status] for status in ("ok", "modified", "missing", "extra")},
        "files": len(report.rows),
        "bytes_checked": checked,
        **_timing(report.started, report.finished, checked),
    }


def _timing(started: datetime, finished: datetime, nbytes: int) -> dict[str, float]:
    """`duration_s` and `throughput_mbps` (10^6 bytes a second) of a run over `nbytes`."""
    duration = (finished - started).total_seconds()
    return {
        "duration_s": round(duration, 3),
        "throughput_mbps": round(nbytes / duration / 1e6, 1) if duration > 0 else 0.0,
    }

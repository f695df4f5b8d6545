"""Types of a case folder's record: one copied file's row, and the audit's rows and report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import pandas as pd
from pydantic import Field

from workbench.errors import ErrorPayload
from workbench.hashing import platform
from workbench.hashing.algorithms import HashAlgorithm
from workbench.model import Contract

Role = Literal["master", "working"]
"""The first destination holds the sealed master copy; the others are working copies."""
RowStatus = Literal["verified", "skipped", "mismatch", "error", "cancelled"]
"""Outcome for one file at one destination."""
AuditStatus = Literal["ok", "modified", "missing", "extra"]
"""Outcome of re-checking one file of a case folder."""

COPY_COLUMNS = ("source", "relative", "destination", "role", "size", "status")
"""The leading columns of a copy report; one column per algorithm and `error` follow."""
VERIFY_COLUMNS = ["path", "status", "algorithm", "expected", "actual", "size"]
"""Columns of an audit table."""


class CopyRow(Contract):
    """What happened to one file at one destination."""

    source: Path
    """The source file."""
    relative: PurePosixPath
    """Path inside the case folder."""
    destination: Path
    """The destination file."""
    role: Role
    """master or working."""
    size: int
    """Bytes copied (or found, for skipped rows)."""
    status: RowStatus
    """verified, skipped, mismatch, error or cancelled."""
    hashes: dict[str, str] = Field(default_factory=dict)
    """Digests of the source read pass, by algorithm (hex)."""
    error: ErrorPayload | None = None
    """The typed error for mismatch / error / cancelled rows."""


def copy_columns(algorithms: Sequence[str]) -> list[str]:
    """The columns of a copy table: `COPY_COLUMNS`, one per algorithm, then `error`."""
    return [*COPY_COLUMNS, *algorithms, "error"]


def copy_records(rows: Sequence[CopyRow], algorithms: Sequence[str]) -> list[dict[str, Any]]:
    """`rows` as flat dicts: the columns, each digest of `algorithms`, the error text."""
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
        for row in rows
    ]


def counts(statuses: Sequence[str]) -> dict[str, int]:
    """How many of each status, sorted by status."""
    found = Counter(statuses)
    return {status: found[status] for status in sorted(found)}


def timing(started: datetime, finished: datetime, nbytes: int) -> dict[str, float]:
    """`duration_s` and `throughput_mbps` (10^6 bytes a second) of a run over `nbytes`."""
    duration = (finished - started).total_seconds()
    return {
        "duration_s": round(duration, 3),
        "throughput_mbps": round(nbytes / duration / 1e6, 1) if duration > 0 else 0.0,
    }


class VerifyRow(Contract):
    """One file of a case folder checked against its manifest."""

    path: PurePosixPath
    """Path relative to the case folder."""
    status: AuditStatus
    """ok, modified, missing or extra."""
    algorithm: HashAlgorithm
    """The manifest the file was checked against."""
    expected: str | None = None
    """Digest in the manifest (None for extra files)."""
    actual: str | None = None
    """Digest read now (None for missing files)."""
    size: int | None = None
    """Current size in bytes (None for missing files)."""


class VerifyReport(Contract):
    """The result of `verify_case`: every manifest entry and every unlisted file."""

    case_dir: Path
    """The case folder that was audited."""
    rows: list[VerifyRow]
    """One row per file."""
    started: datetime
    """UTC start of the audit."""
    finished: datetime
    """UTC end of the audit."""
    record_errors: list[ErrorPayload] = Field(default_factory=list)
    """Custody-log or MHL-history writes of this audit that failed."""
    read_back_cache_free: bool = Field(default_factory=lambda: platform.SYSTEM.cache_free)
    """True when every file was read from the device: the OS let the page cache be emptied
    or bypassed first (Linux `posix_fadvise`, macOS `F_NOCACHE`, Windows
    `FILE_FLAG_NO_BUFFERING`). False: it could not, so files may have been read from memory."""

    @property
    def ok(self) -> bool:
        """True when every file is present and unmodified and nothing extra was found."""
        return all(row.status == "ok" for row in self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per file: path, status, algorithm, expected, actual, size."""
        frame: pd.DataFrame = pd.DataFrame(
            [{**row.model_dump(), "path": row.path.as_posix()} for row in self.rows],
            columns=VERIFY_COLUMNS,
        )
        return frame

    def mismatches(self) -> pd.DataFrame:
        """Only the rows that are not ok."""
        frame = self.to_frame()
        problems: pd.DataFrame = frame[frame["status"] != "ok"].reset_index(drop=True)
        return problems

    def summary(self) -> dict[str, Any]:
        """Counts by status, bytes checked, duration (s) and throughput (MB/s)."""
        found = Counter(row.status for row in self.rows)
        checked = sum(row.size or 0 for row in self.rows if row.status in ("ok", "modified"))
        return {
            "ok": self.ok,
            **{status: found[status] for status in ("ok", "modified", "missing", "extra")},
            "files": len(self.rows),
            "bytes_checked": checked,
            **timing(self.started, self.finished, checked),
        }

"""Types of a case folder's record: one copied file's row, and the audit's rows and report."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field

from workbench.errors import ErrorPayload
from workbench.events import Outcome
from workbench.foreign.types import RecordRef
from workbench.hashing import platform
from workbench.hashing.algorithms import HashAlgorithm
from workbench.model import Contract, ModelColumns

if TYPE_CHECKING:
    import pandas as pd

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
    return list(CopyRows.of_any(rows).records(algorithms))


def counts(statuses: Sequence[str]) -> dict[str, int]:
    """How many of each status, sorted by status."""
    found = Counter(statuses)
    return {status: found[status] for status in sorted(found)}


def human_size(size: int) -> str:
    """Bytes as a short decimal size: `512 B`, `1.5 MB`, `2.0 GB`."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


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


AUDIT_STATUSES: tuple[AuditStatus, ...] = ("ok", "modified", "missing", "extra")
"""Every audit status; a row's status is kept as its index here."""


def _size(stored: int) -> int | None:
    return None if stored < 0 else stored


class VerifyRows(ModelColumns[VerifyRow]):
    """An audit's rows as columns: paths as text, statuses as indices of `AUDIT_STATUSES`,
    sizes in an `array` with -1 for none; the digests are the manifest's own strings. A few
    dozen bytes a file besides its name and digests, where a row model costs a kilobyte."""

    __slots__ = ()
    row_type = VerifyRow
    decoders: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "path": PurePosixPath, "status": AUDIT_STATUSES.__getitem__, "size": _size,
    }

    @classmethod
    def of(cls, rows: Iterable[VerifyRow]) -> VerifyRows:
        """The columns of `rows`."""
        found = list(rows)
        return cls({
            "path": [row.path.as_posix() for row in found],
            "status": bytes(AUDIT_STATUSES.index(row.status) for row in found),
            "algorithm": [row.algorithm for row in found],
            "expected": [row.expected for row in found],
            "actual": [row.actual for row in found],
            "size": array("q", [-1 if row.size is None else row.size for row in found]),
        })

    def statuses(self) -> Iterator[AuditStatus]:
        """Each row's status, in row order, without making the rows."""
        codes = self.column("status")
        return (AUDIT_STATUSES[codes[i]] for i in self.indices())

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row as a plain dict of the `VERIFY_COLUMNS` (the path as text), without making
        the rows."""
        columns = {name: self.column(name) for name in VERIFY_COLUMNS}
        for i in self.indices():
            record = {name: column[i] for name, column in columns.items()}
            record["status"], record["size"] = AUDIT_STATUSES[record["status"]], _size(
                record["size"])
            yield record


def as_columns(rows: Sequence[VerifyRow]) -> VerifyRows:
    """`rows` as `VerifyRows` (the very object when it is one already)."""
    return rows if isinstance(rows, VerifyRows) else VerifyRows.of(rows)


PATHS_AS_TEXT: dict[str, Callable[[Any], Any]] = {
    "source": str, "relative": PurePosixPath.as_posix, "destination": str}
"""How rows of files (copy rows, plan rows) keep their paths: as text."""
TEXT_AS_PATHS: dict[str, Callable[[Any], Any]] = {
    "source": Path, "relative": PurePosixPath, "destination": Path}
"""And how they are made paths again."""


class CopyRows(ModelColumns[CopyRow]):
    """A copy report's rows as columns (the plan's own columns: its paths as text)."""

    __slots__ = ()
    row_type = CopyRow
    encoders, decoders = PATHS_AS_TEXT, TEXT_AS_PATHS

    def dumps(self) -> Iterator[dict[str, Any]]:
        """Each row as `row.model_dump(mode="json")` gives it, read from the columns (which
        keep the paths as that text already): no row is made."""
        for record in self._stored():
            error: ErrorPayload | None = record["error"]
            yield {**record, "hashes": dict(record["hashes"]),
                   "error": None if error is None else error.model_dump(mode="json")}

    def records(self, algorithms: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Each row as a flat dict of `copy_columns(algorithms)`: the paths as text, each
        digest (empty when there is none), the error as `type: description`; no row is made."""
        for record in self._stored():
            hashes: dict[str, str] = record.pop("hashes")
            error: ErrorPayload | None = record.pop("error")
            yield {
                **record,
                **{algorithm: hashes.get(algorithm, "") for algorithm in algorithms},
                "error": f"{error.type}: {error.describe()}" if error else "",
            }

    def _stored(self) -> Iterator[dict[str, Any]]:
        """Each row's stored values by field, in the fields' order."""
        names = list(self.row_type.model_fields)
        columns = [self.column(name) for name in names]
        for i in self.indices():
            yield dict(zip(names, [column[i] for column in columns], strict=True))


class VerifyReport(Contract):
    """The result of `verify_case`: every manifest entry and every unlisted file."""

    case_dir: Path
    """The case folder that was audited."""
    rows: Annotated[Sequence[VerifyRow], VerifyRows]
    """One row per file."""
    started: datetime
    """UTC start of the audit."""
    finished: datetime
    """UTC end of the audit."""
    record_errors: list[ErrorPayload] = Field(default_factory=list)
    """Custody-log or MHL-history writes of this audit that failed."""
    records: list[RecordRef] = Field(default_factory=list)
    """The record(s) the folder was checked against: its own `_evidence` manifest, or
    another tool's (ASC MHL history, bag, checksum lists ...)."""
    problems: list[ErrorPayload] = Field(default_factory=list)
    """What in those records could not be used: unsafe or malformed entries, an altered
    history, a failure the record itself reports. Any problem makes the audit not ok."""
    derived: list[VerifyRow] = Field(default_factory=list)
    """The case folder's derived files (`derived/`: playable copies, timeline videos) checked
    against that folder's own manifest; never evidence, never counted as `extra`."""
    outcome: Outcome = "completed"
    """`cancelled`: the audit stopped on its token before the end; its rows are empty (no file
    is called ok unless every one was read) and nothing was written to the folder's record."""
    read_back_cache_free: bool = Field(default_factory=lambda: platform.SYSTEM.cache_free)
    """True when every file was read from the device: the OS let the page cache be emptied
    or bypassed first (Linux `posix_fadvise`, macOS `F_NOCACHE`, Windows
    `FILE_FLAG_NO_BUFFERING`). False: it could not, so files may have been read from memory."""

    @property
    def ok(self) -> bool:
        """True when every file is present and unmodified, nothing extra was found and the
        record had no problems (never when cancelled)."""
        return self.outcome == "completed" and all(
            status == "ok" for status in as_columns(self.rows).statuses()) and (
            not self.problems) and all(row.status == "ok" for row in self.derived)

    def to_frame(self) -> pd.DataFrame:
        """One row per file: path, status, algorithm, expected, actual, size."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            list(as_columns(self.rows).records()), columns=VERIFY_COLUMNS
        )
        return frame

    def derived_frame(self) -> pd.DataFrame:
        """The derived files checked against their own manifest, in the columns of
        `to_frame`."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(list(as_columns(self.derived).records()),
                                           columns=VERIFY_COLUMNS)
        return frame

    def mismatches(self) -> pd.DataFrame:
        """Only the rows that are not ok."""
        frame = self.to_frame()
        problems: pd.DataFrame = frame[frame["status"] != "ok"].reset_index(drop=True)
        return problems

    def summary(self) -> dict[str, Any]:
        """Counts by status, bytes checked, duration (s) and throughput (MB/s); the record's
        problems too, when it has any."""
        rows = as_columns(self.rows)
        found = Counter(rows.statuses())
        checked = sum(record["size"] or 0 for record in rows.records()
                      if record["status"] in ("ok", "modified"))
        return {
            "ok": self.ok,
            **{status: found[status] for status in ("ok", "modified", "missing", "extra")},
            "files": len(self.rows),
            **({"record_problems": len(self.problems)} if self.problems else {}),
            **({"derived": len(self.derived), "derived_not_ok": sum(
                row.status != "ok" for row in self.derived)} if self.derived else {}),
            "bytes_checked": checked,
            **timing(self.started, self.finished, checked),
        }

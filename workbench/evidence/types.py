"""Types of a case folder's record: one copied file's row, and the audit's rows and report."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any, Literal, overload

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from workbench.errors import ErrorPayload
from workbench.hashing import platform
from workbench.hashing.algorithms import HashAlgorithm
from workbench.model import Contract

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


AUDIT_STATUSES: tuple[AuditStatus, ...] = ("ok", "modified", "missing", "extra")
"""Every audit status; a row's status is kept as its index here."""


class VerifyRows(Sequence[VerifyRow]):
    """An audit's rows kept as columns, each `VerifyRow` made only when it is read.

    A model per file costs about a kilobyte; the columns cost what their strings do (shared
    with the manifest) plus a few dozen bytes, so an audit of 200,000 files stays small. As a
    model field it validates from a list of rows and serialises to one: the contract and its
    schema stay a list of `VerifyRow`.
    """

    __slots__ = ("_actual", "_algorithms", "_expected", "_order", "_paths", "_sizes",
                 "_statuses")

    def __init__(self, paths: Sequence[str], statuses: bytes | bytearray,
                 algorithms: Sequence[HashAlgorithm], expected: Sequence[str | None],
                 actual: Sequence[str | None], sizes: Sequence[int],
                 order: Sequence[int] | None = None) -> None:
        """Column `i` of each holds row `i` (`order[k]` is the column of row `k`, if given);
        statuses index `AUDIT_STATUSES`; a size of -1 is none (a missing file)."""
        self._paths, self._statuses, self._algorithms = paths, statuses, algorithms
        self._expected, self._actual, self._sizes, self._order = expected, actual, sizes, order

    @classmethod
    def of(cls, rows: Iterable[VerifyRow]) -> VerifyRows:
        """The columns of `rows`."""
        found = list(rows)
        return cls(
            [row.path.as_posix() for row in found],
            bytes(AUDIT_STATUSES.index(row.status) for row in found),
            [row.algorithm for row in found], [row.expected for row in found],
            [row.actual for row in found],
            array("q", [-1 if row.size is None else row.size for row in found]),
        )

    def __len__(self) -> int:
        return len(self._paths if self._order is None else self._order)

    @overload
    def __getitem__(self, index: int) -> VerifyRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[VerifyRow]: ...

    def __getitem__(self, index: int | slice) -> VerifyRow | list[VerifyRow]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        i = index if self._order is None else self._order[index]
        size = self._sizes[i]
        return VerifyRow.from_checked(
            path=PurePosixPath(self._paths[i]), status=AUDIT_STATUSES[self._statuses[i]],
            algorithm=self._algorithms[i], expected=self._expected[i],
            actual=self._actual[i], size=None if size < 0 else size,
        )

    def _columns(self) -> Iterator[int]:
        return iter(range(len(self._paths))) if self._order is None else iter(self._order)

    def statuses(self) -> Iterator[AuditStatus]:
        """Each row's status, in row order, without making the rows."""
        return (AUDIT_STATUSES[self._statuses[i]] for i in self._columns())

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row as a plain dict of the `VERIFY_COLUMNS`, without making the rows."""
        for i in self._columns():
            size = self._sizes[i]
            yield {"path": self._paths[i], "status": AUDIT_STATUSES[self._statuses[i]],
                   "algorithm": self._algorithms[i], "expected": self._expected[i],
                   "actual": self._actual[i], "size": None if size < 0 else size}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"VerifyRows({len(self)} rows)"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        rows = handler.generate_schema(list[VerifyRow])
        from_list = core_schema.no_info_after_validator_function(cls.of, rows)
        return core_schema.json_or_python_schema(
            json_schema=from_list,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_list]),
            serialization=core_schema.wrap_serializer_function_ser_schema(
                lambda value, serialise: serialise(list(value)), schema=rows),
        )


def as_columns(rows: Sequence[VerifyRow]) -> VerifyRows:
    """`rows` as `VerifyRows` (the very object when it is one already)."""
    return rows if isinstance(rows, VerifyRows) else VerifyRows.of(rows)


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
    read_back_cache_free: bool = Field(default_factory=lambda: platform.SYSTEM.cache_free)
    """True when every file was read from the device: the OS let the page cache be emptied
    or bypassed first (Linux `posix_fadvise`, macOS `F_NOCACHE`, Windows
    `FILE_FLAG_NO_BUFFERING`). False: it could not, so files may have been read from memory."""

    @property
    def ok(self) -> bool:
        """True when every file is present and unmodified and nothing extra was found."""
        return all(status == "ok" for status in as_columns(self.rows).statuses())

    def to_frame(self) -> pd.DataFrame:
        """One row per file: path, status, algorithm, expected, actual, size."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            list(as_columns(self.rows).records()), columns=VERIFY_COLUMNS
        )
        return frame

    def mismatches(self) -> pd.DataFrame:
        """Only the rows that are not ok."""
        frame = self.to_frame()
        problems: pd.DataFrame = frame[frame["status"] != "ok"].reset_index(drop=True)
        return problems

    def summary(self) -> dict[str, Any]:
        """Counts by status, bytes checked, duration (s) and throughput (MB/s)."""
        rows = as_columns(self.rows)
        found = Counter(rows.statuses())
        checked = sum(record["size"] or 0 for record in rows.records()
                      if record["status"] in ("ok", "modified"))
        return {
            "ok": self.ok,
            **{status: found[status] for status in ("ok", "modified", "missing", "extra")},
            "files": len(self.rows),
            "bytes_checked": checked,
            **timing(self.started, self.finished, checked),
        }

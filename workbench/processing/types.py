"""Types of the verified copy: the destinations, the plan and the copy report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field

from workbench.cases import CaseData
from workbench.errors import ErrorPayload, HashMismatch, ProcessingError, RecordMismatch
from workbench.events import Outcome
from workbench.evidence.types import (
    PATHS_AS_TEXT,
    TEXT_AS_PATHS,
    CopyRow,
    CopyRows,
    Role,
    RowStatus,
    copy_columns,
    copy_records,
    timing,
)
from workbench.evidence.volumes import SourceVolume
from workbench.foreign.types import RecordRef
from workbench.hashing import platform
from workbench.hashing.algorithms import DEFAULT_ALGORITHMS, HashAlgorithm
from workbench.model import Contract, ModelColumns

if TYPE_CHECKING:
    import pandas as pd

PlanAction = Literal["copy", "skip", "recheck", "conflict", "refused"]
"""What the copy will do with one file at one destination: `recheck` is a file already there
that the record does not vouch for as it is now, re-read cold against the source."""

PLAN_COLUMNS = ["source", "relative", "destination", "role", "size", "action", "error"]
"""Columns of the plan preview."""
FAILED: tuple[RowStatus, ...] = ("mismatch", "error")
"""Row statuses that count as failures."""
STATUSES: tuple[RowStatus, ...] = ("verified", "skipped", *FAILED, "cancelled")
"""Every row status, in report order."""


class CaseTarget(Contract):
    """One destination of a copy: a root and the case folder resolved beneath it."""

    error_class: ClassVar = ProcessingError

    root: Path
    """The destination root chosen by the user."""
    destination: Path
    """The case folder: root / resolved template path."""
    role: Role
    """`master` for the first destination, `working` for the others."""


class PlannedFile(Contract):
    """One file to copy to one destination."""

    error_class: ClassVar = ProcessingError

    source: Path
    """Absolute path of the source file."""
    relative: PurePosixPath
    """Path inside the case folder (a source folder keeps its own name as first part)."""
    destination: Path
    """Absolute destination path: case folder / relative."""
    size: int
    """Source size in bytes when planned."""
    mtime_ns: int
    """Source modification time (ns) when planned."""
    device: int | None = None
    """Device of the source file when planned (None: not pinned)."""
    inode: int | None = None
    """Inode of the source file when planned (None: not pinned)."""
    ctime_ns: int | None = None
    """Status-change time (ns) of the source file when planned: a rewrite that puts the
    mtime back still moves it (None: not pinned)."""
    action: PlanAction
    """`copy`, `skip` (verified there, unchanged since), `recheck` (there, re-read cold),
    `conflict` (different file there) or `refused`."""
    role: Role = "master"
    """Role of the destination this row writes to."""
    hashes: dict[str, str] = Field(default_factory=dict)
    """Digests the case folder's manifests hold for a `skip` or `recheck` row."""
    error: ErrorPayload | None = None
    """Why the row is `conflict` or `refused`."""
    expected: dict[HashAlgorithm, str] = Field(default_factory=dict)
    """Digests the record the source arrived with (another tool's) gives for this file;
    the copy's read must match them before the file can be `verified`."""
    record: Path | None = None
    """That record (list file, history folder, bag), when there is one."""


class PlannedFiles(ModelColumns[PlannedFile]):
    """A plan's rows in columns, a row made when read (~360 bytes a file, not ~1,800)."""

    __slots__ = ()
    row_type = PlannedFile
    packed = frozenset({"size", "mtime_ns", "device", "inode", "ctime_ns"})
    sparse = frozenset({"hashes", "expected"})
    encoders, decoders = PATHS_AS_TEXT, TEXT_AS_PATHS


class SourceRecord(Contract):
    """The record (another tool's) a source folder arrived with, checked in the copy's read."""

    error_class: ClassVar = ProcessingError

    source: Path
    """The source folder that carries the record."""
    records: list[RecordRef]
    """The record(s) found in it."""
    missing: list[PurePosixPath] = Field(default_factory=list)
    """Files the record lists that the source lacks (paths inside the case folder)."""
    problems: list[ErrorPayload] = Field(default_factory=list)
    """What in the record could not be used (unsafe or malformed entries, altered history)."""


class CopyPlan(Contract):
    """Everything a copy will do, before it does it; one row per file per destination."""

    error_class: ClassVar = ProcessingError

    case: CaseData
    """The case the folders are named from."""
    template_id: str
    """The template that named the case folder."""
    sources: list[Path]
    """The source files and folders, absolute, in the order given."""
    targets: list[CaseTarget]
    """The destinations; the first one is the master."""
    items: Annotated[Sequence[PlannedFile], PlannedFiles]
    """One row per source file per destination."""  # kept in columns: `PlannedFiles`
    algorithms: list[HashAlgorithm] = Field(default_factory=lambda: list(DEFAULT_ALGORITHMS))
    """Digests computed in the copy's single read pass (blake3 always first)."""
    created: datetime
    """When the plan was made (UTC)."""
    source_volumes: list[SourceVolume] = Field(default_factory=list)
    """The volume each source is read from, in `sources` order, identified when planned."""
    source_records: list[SourceRecord] = Field(default_factory=list)
    """The records (other tools') the sources arrived with; their algorithms are among
    `algorithms`, so each file is checked against its record in the copy's one read."""
    warnings: list[ErrorPayload] = Field(default_factory=list)
    """Told before the copy starts: what a record format cannot hold as it is, e.g. a name
    that is not UTF-8 (`UnsafeName`), kept byte for byte in the custody log, run reports and
    coreutils manifests, but which `b3sum --check` cannot read and ASC MHL shows escaped."""

    @property
    def destination(self) -> Path:
        """The master case folder."""
        return self.targets[0].destination

    @property
    def destinations(self) -> list[Path]:
        """Every case folder, master first."""
        return [target.destination for target in self.targets]

    def row_targets(self) -> list[int]:
        """Each row's index into `targets`, from the text the rows keep: a destination is its
        case folder's path, a separator and the relative path (as many characters anywhere)."""
        index = {str(target.destination / "_")[:-1]: i for i, target in enumerate(self.targets)}
        items = PlannedFiles.of_any(self.items)
        return [index[destination[: len(destination) - len(relative)]] for destination, relative
                in zip(items.values("destination"), items.values("relative"), strict=True)]

    def to_frame(self) -> pd.DataFrame:
        """The preview table: one row per file per destination."""
        import pandas as pd

        items = PlannedFiles.of_any(self.items)  # its columns keep the paths as text
        frame: pd.DataFrame = pd.DataFrame({
            **{name: list(items.values(name)) for name in PLAN_COLUMNS if name != "error"},
            "error": [f"{error.type}: {error.describe()}" if error else ""
                      for error in items.values("error")],
        }, columns=PLAN_COLUMNS)
        return frame


class CopyReport(Contract):
    """The result of `run_copy`: one row per planned file per destination."""

    plan: CopyPlan
    """The plan that ran."""
    rows: Annotated[Sequence[CopyRow], CopyRows]
    """One row per planned item, in plan order."""
    outcome: Outcome
    """completed, completed_with_errors or cancelled."""
    started: datetime
    """UTC start of the run."""
    finished: datetime
    """UTC end of the run."""
    tool_version: str
    """Version of Case Workbench that ran the copy."""
    user: str
    """Operating-system user who ran it."""
    host: str
    """Host name of the machine that ran it."""
    record_errors: list[ErrorPayload] = Field(default_factory=list)
    """Evidence-record writes that failed (manifest, run report, custody log, MHL history);
    any makes a completed run `completed_with_errors`, though its verified rows stand."""
    read_back_cache_free: bool = Field(default_factory=lambda: platform.SYSTEM.cache_free)
    """True when every read-back came from the device: the OS let the page cache be emptied
    or bypassed first (Linux `posix_fadvise`, macOS `F_NOCACHE`, Windows
    `FILE_FLAG_NO_BUFFERING`). False: it could not, so the copies were re-read and matched,
    but possibly from memory rather than from the disk."""

    def to_frame(self) -> pd.DataFrame:
        """One row per file per destination: source, destination, role, size, status, digests."""
        import pandas as pd

        columns = copy_columns(self.plan.algorithms)
        frame: pd.DataFrame = pd.DataFrame(
            copy_records(self.rows, self.plan.algorithms), columns=columns
        )
        return frame

    def mismatches(self) -> pd.DataFrame:
        """Only the failed rows, with the expected vs actual digest where there is one."""
        import pandas as pd

        failed = [row for row in self.rows if row.status in FAILED]
        frame: pd.DataFrame = pd.DataFrame(
            copy_records(failed, self.plan.algorithms), columns=copy_columns(self.plan.algorithms)
        )
        mismatch = [row.error if isinstance(row.error, HashMismatch | RecordMismatch) else None
                    for row in failed]
        frame["expected"] = [error.expected if error else "" for error in mismatch]
        frame["actual"] = [error.actual if error else "" for error in mismatch]
        return frame

    def summary(self) -> dict[str, Any]:
        """Counts by status, verified bytes, duration (s) and throughput (MB/s); with the
        files the sources' own records list but the sources lack, and those records' problems,
        when a source arrived with a record."""
        found = Counter(row.status for row in self.rows)
        copied = sum(row.size for row in self.rows if row.status == "verified")
        return {
            "outcome": self.outcome,
            **{status: found[status] for status in STATUSES},
            "files": len(self.rows),
            **({
                "record_missing": sum(len(record.missing) for record in records),
                "record_problems": sum(len(record.problems) for record in records),
            } if (records := self.plan.source_records) else {}),
            "bytes_verified": copied,
            **timing(self.started, self.finished, copied),
        }

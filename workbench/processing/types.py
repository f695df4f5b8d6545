"""Types of the verified copy: the plan, progress, the copy report and the audit report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from workbench.cases import CaseData
from workbench.errors import ErrorPayload, ProcessingError
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

HashAlgorithm = Literal["blake3", "xxh128", "md5", "sha1", "sha256"]
"""Supported digests; blake3 is always computed."""
PlanAction = Literal["copy", "skip", "conflict", "refused"]
"""What the copy will do with one file at one destination."""
Role = Literal["master", "working"]
"""The first destination holds the sealed master copy; the others are working copies."""
RowStatus = Literal["verified", "skipped", "mismatch", "error", "cancelled"]
"""Outcome for one file at one destination."""
Outcome = Literal["completed", "completed_with_errors", "cancelled"]
"""Outcome of a whole run."""
AuditStatus = Literal["ok", "modified", "missing", "extra"]
"""Outcome of re-checking one file of a case folder."""

DEFAULT_ALGORITHMS: tuple[HashAlgorithm, ...] = ("blake3", "xxh128")
"""Digests of a copy when nothing else is chosen."""

EVIDENCE_DIR = "_evidence"
"""Sub-folder of each case folder that holds its evidence record (never copied into)."""


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
    action: PlanAction
    """`copy`, `skip` (same bytes already there), `conflict` (different file there) or `refused`."""
    role: Role = "master"
    """Role of the destination this row writes to."""
    hashes: dict[str, str] = Field(default_factory=dict)
    """Digests already known (from the case folder's manifest) for `skip` rows."""
    error: ErrorPayload | None = None
    """Why the row is `conflict` or `refused`."""


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
    items: list[PlannedFile]
    """One row per source file per destination."""
    algorithms: list[HashAlgorithm] = Field(default_factory=lambda: list(DEFAULT_ALGORITHMS))
    """Digests computed in the copy's single read pass (blake3 always first)."""
    created: datetime
    """When the plan was made (UTC)."""

    @property
    def destination(self) -> Path:
        """The master case folder."""
        return self.targets[0].destination

    @property
    def destinations(self) -> list[Path]:
        """Every case folder, master first."""
        return [target.destination for target in self.targets]

    def to_frame(self) -> pd.DataFrame:
        """The preview table: one row per file per destination."""
        from workbench.processing.report import plan_frame

        return plan_frame(self)


class DestinationState(Contract):
    """Progress of one destination during a run."""

    destination: Path
    """The case folder."""
    role: Role
    """master or working."""
    files_verified: int = 0
    """Files verified so far at this destination."""
    files_failed: int = 0
    """Files failed so far at this destination."""


class ProgressEvent(Contract):
    """A throttled snapshot of a running copy (also emitted as `processing:progress`)."""

    percent: float
    """0–100, by bytes read from the sources (each source byte counted once)."""
    current_file: str
    """Relative path of the file being read."""
    bytes_done: int
    """Source bytes read and written so far."""
    bytes_total: int
    """Source bytes to read in this run."""
    files_done: int
    """Source files finished (verified, failed or skipped)."""
    files_total: int
    """Source files in this run."""
    speed_mbps: float
    """Average read speed so far, in MB/s (10^6 bytes)."""
    destinations: list[DestinationState] = Field(default_factory=list)
    """Per-destination state, master first."""


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


class CopyReport(Contract):
    """The result of `run_copy`: one row per planned file per destination."""

    plan: CopyPlan
    """The plan that ran."""
    rows: list[CopyRow]
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

    def to_frame(self) -> pd.DataFrame:
        """One row per file per destination: source, destination, role, size, status, digests."""
        from workbench.processing.report import copy_frame

        return copy_frame(self)

    def mismatches(self) -> pd.DataFrame:
        """Only the failed rows, with the expected vs actual digest where there is one."""
        from workbench.processing.report import copy_mismatches

        return copy_mismatches(self)

    def summary(self) -> dict[str, Any]:
        """Counts by status, bytes, duration (s) and throughput (MB/s)."""
        from workbench.processing.report import copy_summary

        return copy_summary(self)

    def to_html(self) -> str:
        """This run as a printable HTML page, with the case folder's custody log if it has one."""
        from workbench.processing.case_report import render_copy_report

        return render_copy_report(self)


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

    @property
    def ok(self) -> bool:
        """True when every file is present and unmodified and nothing extra was found."""
        return all(row.status == "ok" for row in self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per file: path, status, algorithm, expected, actual, size."""
        from workbench.processing.report import verify_frame

        return verify_frame(self)

    def mismatches(self) -> pd.DataFrame:
        """Only the rows that are not ok."""
        from workbench.processing.report import verify_mismatches

        return verify_mismatches(self)

    def summary(self) -> dict[str, Any]:
        """Counts by status, bytes, duration (s) and throughput (MB/s)."""
        from workbench.processing.report import verify_summary

        return verify_summary(self)

    def to_html(self) -> str:
        """This audit as a printable HTML page, with the case folder's custody log."""
        from workbench.processing.case_report import render_verify_report

        return render_verify_report(self)

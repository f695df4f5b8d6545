"""Typed errors: every expected failure is a `WorkbenchError` carrying a tagged payload.

The payloads are pydantic models with a `type` tag and the context a person (or a
program) needs: the path, the field, what was expected and what was found. Together
they form one discriminated union, `ErrorPayload`, exported to `schemas/`.
"""

from __future__ import annotations

import errno
from abc import abstractmethod
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Problem(BaseModel):
    """The base of every typed problem: an error's payload here, a clip's timing problem, a
    clock reading a daylight-saving change leaves without one real time. Each subclass has a
    `type` tag (a `Literal` field, which tells the members of a union apart), its context
    fields, and says itself in `describe`."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True, extra="forbid")

    @abstractmethod
    def describe(self) -> str:
        """One sentence a person understands."""


class FieldProblem(BaseModel):
    """One invalid field found while validating input."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True, extra="forbid")

    field: str
    """Dotted name of the field, e.g. `video_end` or `levels.2.pattern`."""
    message: str
    """What is wrong with it, as a sentence fragment."""
    level: int | None = None
    """Template level index (0-based) the problem belongs to, if any."""


def _problem_text(problem: FieldProblem) -> str:
    if problem.level is not None:
        part = problem.field.rsplit(".", 1)[-1]
        return f"{part} in level {problem.level + 1}: {problem.message}"
    return f"{problem.field}: {problem.message}"


class NotFound(Problem):
    type: Literal["NotFound"] = "NotFound"
    kind: str
    """What was looked up: `template`, `case folder`, ..."""
    id: str
    """The identifier that was not found."""
    path: str | None = None
    """Where it was looked for."""

    def describe(self) -> str:
        where = f" in {self.path}" if self.path else ""
        return f"No {self.kind} named {self.id!r}{where}."


class ValidationError(Problem):
    type: Literal["ValidationError"] = "ValidationError"
    field: str
    """The first invalid field (dotted name)."""
    message: str
    """What is wrong with the first invalid field."""
    level: int | None = None
    """Template level index (0-based) of the first problem, if it is in a level."""
    expected: str | None = None
    """What a valid value looks like."""
    actual: str | None = None
    """The value that was given (shortened)."""
    problems: list[FieldProblem] = Field(default_factory=list)
    """Every problem found, the first one included."""

    def describe(self) -> str:
        """Every problem, the first one leading, in one sentence."""
        first = FieldProblem(field=self.field, message=self.message, level=self.level)
        rest = [problem for problem in self.problems if problem != first]
        return "Invalid " + "; invalid ".join(_problem_text(p) for p in [first, *rest]) + "."

    @classmethod
    def of(cls, problems: list[FieldProblem], **context: str | None) -> ValidationError:
        """The payload for a non-empty list of problems, the first one leading."""
        first = problems[0]
        return cls(
            field=first.field, message=first.message, level=first.level,
            problems=problems, **context,
        )


class MissingField(Problem):
    type: Literal["MissingField"] = "MissingField"
    level: int
    """Template level index (0-based) that needs the field (-1 for the archive name)."""
    field: str
    """The case field that is missing or empty."""
    pattern: str
    """The level's pattern (or fallback) that names the field."""

    def describe(self) -> str:
        part, owner = ("The archive name", "it") if self.level < 0 else (
            f"Level {self.level + 1}", "the level"
        )
        return (
            f"{part} ({self.pattern!r}) needs the case field "
            f"{self.field!r}, which is empty, and {owner} has no fallback."
        )


class CorruptFile(Problem):
    type: Literal["CorruptFile"] = "CorruptFile"
    path: str
    """The file that could not be read."""
    detail: str
    """Why it could not be read."""
    backup: str | None = None
    """Where a copy of the damaged file was kept, if one was made."""

    def describe(self) -> str:
        kept = f" A copy was kept at {self.backup}." if self.backup else ""
        return f"{self.path} is damaged and was not used: {self.detail}.{kept}"


class IoError(Problem):
    type: Literal["IoError"] = "IoError"
    path: str
    """The file or folder involved."""
    operation: str
    """What was being done: read, write, rename, ..."""
    detail: str
    """The operating system's message."""

    def describe(self) -> str:
        return f"Could not {self.operation} {self.path}: {self.detail}."


class PathNotFound(Problem):
    type: Literal["PathNotFound"] = "PathNotFound"
    path: str
    """The path that does not exist."""

    def describe(self) -> str:
        return f"{self.path} does not exist."


class PermissionDenied(Problem):
    type: Literal["PermissionDenied"] = "PermissionDenied"
    path: str
    """The path access was refused for."""
    operation: str
    """What was being done: read, write, create, ..."""

    def describe(self) -> str:
        return f"Permission denied to {self.operation} {self.path}."


class HashMismatch(Problem):
    type: Literal["HashMismatch"] = "HashMismatch"
    file: str
    """The file whose bytes did not match."""
    algorithm: str
    """The hash algorithm compared."""
    expected: str
    """Hex digest of the source (or of the manifest entry)."""
    actual: str
    """Hex digest read back from the file."""

    def describe(self) -> str:
        return (
            f"{self.file} does not match: {self.algorithm} expected {self.expected}, "
            f"read back {self.actual}."
        )


class SourceChanged(Problem):
    type: Literal["SourceChanged"] = "SourceChanged"
    path: str
    """The source file that changed while it was copied."""
    expected_size: int
    """Size when the copy started."""
    actual_size: int
    """Size after the copy."""
    expected_mtime_ns: int
    """Modification time (ns) when the copy started."""
    actual_mtime_ns: int
    """Modification time (ns) after the copy."""
    detail: str | None = None
    """What differs from the plan: `ctime`, `inode`, `device`, `a fifo, not a file`, ..."""

    def describe(self) -> str:
        what = f"{self.detail}; " if self.detail else ""
        return (
            f"{self.path} changed since it was planned or while it was being copied ({what}size "
            f"{self.expected_size} → {self.actual_size}); the copy was discarded."
        )


class DiskFull(Problem):
    type: Literal["DiskFull"] = "DiskFull"
    path: str
    """The file being written when space ran out."""
    detail: str
    """The operating system's message (no space, or quota exceeded)."""

    def describe(self) -> str:
        return f"No space left while writing {self.path}: {self.detail}."


class Conflict(Problem):
    type: Literal["Conflict"] = "Conflict"
    path: str
    """The destination that already exists with different content."""
    detail: str
    """How it differs."""

    def describe(self) -> str:
        return f"{self.path} already exists and differs ({self.detail}); it was left untouched."


class Unsupported(Problem):
    type: Literal["Unsupported"] = "Unsupported"
    path: str
    """The path that cannot be copied."""
    kind: str
    """What it is: socket, fifo, block device, symlink leaving the source, ..."""

    def describe(self) -> str:
        return f"{self.path} is a {self.kind} and cannot be copied as evidence."


class Cancelled(Problem):
    type: Literal["Cancelled"] = "Cancelled"
    detail: str = "cancelled by the user"
    """Why the work stopped."""

    def describe(self) -> str:
        return f"Stopped: {self.detail}."


class UnsafeRecordPath(Problem):
    type: Literal["UnsafeRecordPath"] = "UnsafeRecordPath"
    record: str
    """The record (hash list, history, bag, CSV) that names the path."""
    path: str
    """The path as the record gives it (control characters made visible)."""
    reason: str
    """Why it is refused: absolute, leaves the folder, empty, ..."""
    line: int | None = None
    """Line of the record it is on, when the record has lines."""

    def describe(self) -> str:
        where = f" (line {self.line})" if self.line is not None else ""
        return (
            f"{self.record}{where} names {self.path!r}, which is {self.reason}; "
            "it was refused and not read."
        )


class MalformedRecord(Problem):
    type: Literal["MalformedRecord"] = "MalformedRecord"
    record: str
    """The record that could not be read as its format says."""
    problem: Literal["syntax", "digest", "encoding", "too_long", "entities", "algorithm",
                     "validation", "conflict", "too_many"]
    """What is wrong: bad syntax, a digest of the wrong length or alphabet, mixed or broken
    text encoding, an over-long line, XML entity declarations, an algorithm the workbench
    cannot compute, a failed structural check, two different digests for one file, or more
    problems than are kept (counted)."""
    detail: str
    """What was found, in words."""
    line: int | None = None
    """Line of the record, when the record has lines."""

    def describe(self) -> str:
        where = f" line {self.line}" if self.line is not None else ""
        return f"{self.record}{where} cannot be used ({self.problem}): {self.detail}."


class RecordMismatch(Problem):
    type: Literal["RecordMismatch"] = "RecordMismatch"
    record: str
    """The record (another tool's) the file arrived with."""
    file: str
    """The file whose bytes differ from that record."""
    algorithm: str
    """The algorithm the record gives."""
    expected: str
    """Hex digest in the record."""
    actual: str
    """Hex digest of the bytes read now."""

    def describe(self) -> str:
        return (
            f"{self.file} differs from the record it arrived with ({self.record}): "
            f"{self.algorithm} expected {self.expected}, read {self.actual}."
        )


class AuditFailed(Problem):
    type: Literal["AuditFailed"] = "AuditFailed"
    case_dir: str
    """The case folder whose audit found problems."""
    files: list[str]
    """Relative path and status of each file that is not ok, e.g. `CAM01/a.dav (modified)`."""

    def describe(self) -> str:
        shown = ", ".join(self.files[:5]) + (f" and {len(self.files) - 5} more"
                                             if len(self.files) > 5 else "")
        return (
            f"The audit of {self.case_dir} found {len(self.files)} problem(s): {shown}; it was "
            "not exported."
        )


class NotACaseFolder(Problem):
    type: Literal["NotACaseFolder"] = "NotACaseFolder"
    path: str
    """The folder given."""
    looked_for: str
    """The record it lacks: `_evidence/` (this workbench's), or the other tools' records."""

    def describe(self) -> str:
        return f"{self.path} is not a case folder: it has no {self.looked_for}."


class UnsafeName(Problem):
    type: Literal["UnsafeName"] = "UnsafeName"
    path: str
    """The file whose name cannot be stored safely."""
    reason: str
    """Why: a backslash, a drive letter, a `..` part, a name that is not UTF-8, ..."""

    def describe(self) -> str:
        return f"{self.path} cannot be packaged under its own name: {self.reason}."


class MissingDependency(Problem):
    type: Literal["MissingDependency"] = "MissingDependency"
    feature: str
    """What needs the package: `the fleet audit`, ..."""
    package: str
    """The distribution that is not installed, e.g. `dask[distributed]`."""
    install: str
    """The one command that installs it."""

    def describe(self) -> str:
        feature = self.feature[:1].upper() + self.feature[1:]
        return f"{feature} needs {self.package} (not installed): run {self.install} to add it."


class SchedulerUnavailable(Problem):
    type: Literal["SchedulerUnavailable"] = "SchedulerUnavailable"
    address: str
    """The Dask scheduler address that was tried."""
    detail: str
    """Why it could not be used (refused, timed out, no workers)."""

    def describe(self) -> str:
        return f"The Dask scheduler at {self.address} cannot run the audit: {self.detail}."


class WorkerDied(Problem):
    type: Literal["WorkerDied"] = "WorkerDied"
    path: str
    """The case folder whose audit was running when its worker process died."""
    worker: str | None = None
    """Address of the last worker that ran it, if known."""
    detail: str
    """What the scheduler reported."""

    def describe(self) -> str:
        where = f" on {self.worker}" if self.worker else ""
        return f"The worker auditing {self.path}{where} died: {self.detail}."


class TaskFailed(Problem):
    type: Literal["TaskFailed"] = "TaskFailed"
    path: str
    """The case folder whose audit task failed."""
    exception: str
    """The exception's class name."""
    detail: str
    """The exception's message."""

    def describe(self) -> str:
        return f"The audit of {self.path} failed unexpectedly ({self.exception}: {self.detail})."


class NotMedia(Problem):
    type: Literal["NotMedia"] = "NotMedia"
    path: str
    """The file whose name says media but whose bytes FFmpeg cannot read."""
    detail: str
    """FFmpeg's reason (or `empty file`)."""

    def describe(self) -> str:
        return f"{self.path} is named like media but cannot be read as media: {self.detail}."


class Truncated(Problem):
    type: Literal["Truncated"] = "Truncated"
    path: str
    """The media file that is cut short."""
    detail: str
    """What is missing, e.g. the MP4 index (`moov`) or the end of the last frame."""
    size: int
    """The file's size in bytes."""
    expected_size: int | None = None
    """The size its own structure declares, when known."""

    def describe(self) -> str:
        return f"{self.path} is cut short ({self.size:,} bytes): {self.detail}."


class UndecodableStream(Problem):
    type: Literal["UndecodableStream"] = "UndecodableStream"
    path: str
    """The media file."""
    stream: int
    """Index of the stream whose first frame does not decode."""
    codec: str | None = None
    """The stream's codec, when known."""
    detail: str
    """The decoder's reason."""

    def describe(self) -> str:
        codec = f" ({self.codec})" if self.codec else ""
        return f"Stream {self.stream}{codec} of {self.path} does not decode: {self.detail}."


class Timeout(Problem):
    type: Literal["Timeout"] = "Timeout"
    path: str
    """The file whose reading took too long."""
    seconds: float
    """The time limit per file that it exceeded."""

    def describe(self) -> str:
        return f"Reading {self.path} took longer than {self.seconds:g} s and was stopped."


class ProbeCrashed(Problem):
    type: Literal["ProbeCrashed"] = "ProbeCrashed"
    path: str
    """The file being read when the worker process died."""
    exit_code: int | None = None
    """The worker's exit code (negative: the signal that killed it, e.g. -11 for SIGSEGV)."""
    signal: str | None = None
    """The signal's name, when a signal ended it."""

    def describe(self) -> str:
        how = f"signal {self.signal}" if self.signal else f"exit code {self.exit_code}"
        return (f"The decoder crashed on {self.path} ({how}); only its worker process was "
                "lost, the rest of the batch went on.")


class RecordDisagrees(Problem):
    type: Literal["RecordDisagrees"] = "RecordDisagrees"
    record: str
    """The part of the case folder's record that disagrees (relative to the case folder)."""
    line: int | None = None
    """Its line (custody log, manifest), when it has lines."""
    other: str
    """What it disagrees with: another record, the file itself, the previous line."""
    detail: str
    """How they disagree."""

    def describe(self) -> str:
        where = f" line {self.line}" if self.line is not None else ""
        return f"{self.record}{where} disagrees with {self.other}: {self.detail}."


class NameTooLong(Problem):
    type: Literal["NameTooLong"] = "NameTooLong"
    path: str
    """The path (or the name in it) that is too long for the file system."""
    limit: str
    """Which limit: a name of 255 bytes (with the `.partial` suffix), a path of PATH_MAX."""

    def describe(self) -> str:
        return f"{self.path} is too long to be written ({self.limit})."


class ChangedWhileRead(Problem):
    type: Literal["ChangedWhileRead"] = "ChangedWhileRead"
    path: str
    """The file that changed while it was read (probed)."""
    expected_size: int
    """Size before it was read."""
    actual_size: int
    """Size after it was read."""
    expected_mtime_ns: int
    """Modification time (ns) before it was read."""
    actual_mtime_ns: int
    """Modification time (ns) after it was read."""

    def describe(self) -> str:
        return (
            f"{self.path} changed while it was being read (size {self.expected_size:,} → "
            f"{self.actual_size:,}); what was read from it is not reported."
        )


class RemuxMismatch(Problem):
    type: Literal["RemuxMismatch"] = "RemuxMismatch"
    source: str
    """The master file the copy was made from."""
    output: str
    """The copy that was read back and did not match."""
    packet: int
    """Index (0-based, in file order) of the first packet that differs."""
    field: Literal["count", "stream", "payload", "pts", "dts", "pixels"]
    """What differs: the packet count, the packet's stream, its codec payload, a timestamp or
    (with `deep=True`) a decoded frame's pixels."""
    expected: str
    """The source's value (a digest, a timestamp or a count)."""
    actual: str
    """The copy's value read back from disk."""

    def describe(self) -> str:
        return (f"{self.output} is not a lossless copy of {self.source}: packet {self.packet} "
                f"differs in {self.field} (source {self.expected}, copy {self.actual}).")


class CodecNotCarried(Problem):
    type: Literal["CodecNotCarried"] = "CodecNotCarried"
    path: str
    """The clip whose stream the container cannot hold."""
    codec: str
    """FFmpeg's name of the codec."""
    container: str
    """The container asked for (`mp4`, ...)."""

    def describe(self) -> str:
        return (f"{self.path} holds {self.codec}, which {self.container} cannot carry without "
                f"re-encoding; it was not converted (choose mkv, which carries any codec).")


ErrorPayload = Annotated[
    NotFound | ValidationError | MissingField | CorruptFile | IoError | PathNotFound
    | PermissionDenied | HashMismatch | SourceChanged | DiskFull | Conflict | Unsupported
    | Cancelled | UnsafeRecordPath | MalformedRecord | RecordMismatch | AuditFailed | UnsafeName
    | MissingDependency | SchedulerUnavailable | WorkerDied | TaskFailed | NotMedia | Truncated
    | UndecodableStream | Timeout | ProbeCrashed | ChangedWhileRead | RecordDisagrees
    | NameTooLong | RemuxMismatch | CodecNotCarried | NotACaseFolder,
    Field(discriminator="type"),
]
"""Every error payload, told apart by its `type` tag."""

error_payload_adapter: TypeAdapter[ErrorPayload] = TypeAdapter(ErrorPayload)


class WorkbenchError(Exception):
    """An expected failure; `.payload` says what and where, `str()` says it in words."""

    def __init__(self, payload: ErrorPayload) -> None:
        super().__init__(payload.describe())
        self.payload: ErrorPayload = payload

    @property
    def type(self) -> str:
        """The payload's type tag."""
        return self.payload.type


class CaseError(WorkbenchError):
    """Invalid case data."""


class TemplateError(WorkbenchError):
    """A template that cannot be found, saved, loaded or resolved."""


class ProcessingError(WorkbenchError):
    """A copy, plan or audit that cannot run."""


class HashingError(ProcessingError):
    """A file step, tree hash or folder comparison that cannot run (or was cancelled)."""


class EvidenceError(ProcessingError):
    """A case folder's own record (manifest, ASC MHL history, audit) that cannot be used."""


class RecordError(ProcessingError):
    """Another tool's record that cannot be found or read."""


class ReportError(WorkbenchError):
    """A printable report whose record cannot be read or whose file cannot be written."""


class PreferencesError(WorkbenchError):
    """Preferences that cannot be read or written."""


class ExportError(WorkbenchError):
    """A ZIP or BagIt export that cannot be made or verified."""


class BatchError(WorkbenchError):
    """A batch of cases or a fleet audit that cannot run."""


class MediaError(WorkbenchError):
    """Footage that cannot be probed, timed or shown (bad paths or arguments)."""


class ConversionError(WorkbenchError):
    """Playable copies or a timeline video that cannot be made (bad paths or arguments)."""


def is_kind(exc: BaseException, *kinds: type[BaseModel]) -> bool:
    """True when `exc` is a `WorkbenchError` whose payload is one of `kinds` (payload classes,
    e.g. `Cancelled`): the one way to tell error kinds apart, never by the `type` string."""
    return isinstance(exc, WorkbenchError) and isinstance(exc.payload, kinds)


def payload_from_os_error(exc: OSError, path: str | None = None, operation: str = "access") -> (
    PathNotFound | PermissionDenied | DiskFull | NameTooLong | IoError
):
    """The typed payload for an operating-system error on `path` (default: the error's own)."""
    where = str(path if path is not None else (exc.filename or "?"))
    detail = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT:
        return PathNotFound(path=where)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PermissionDenied(path=where, operation=operation)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path=where, detail=detail)
    if exc.errno == errno.ENAMETOOLONG:
        return NameTooLong(path=where, limit=detail)
    return IoError(path=where, operation=operation, detail=detail)

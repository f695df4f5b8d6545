"""Typed errors: sentences for people, payloads that round-trip for programs."""

from __future__ import annotations

import errno
from typing import get_args

import pytest
from pydantic import ValidationError as PydanticError

from workbench.cases import ClockProblem
from workbench.errors import (
    Cancelled,
    CaseError,
    ChangedWhileRead,
    Conflict,
    CorruptFile,
    DiskFull,
    ErrorPayload,
    FieldProblem,
    HashingError,
    HashMismatch,
    IoError,
    MissingDependency,
    MissingField,
    NotACaseFolder,
    NotFound,
    NotMedia,
    PathNotFound,
    PermissionDenied,
    ProbeCrashed,
    Problem,
    ProcessingError,
    ReportError,
    SchedulerUnavailable,
    SourceChanged,
    TaskFailed,
    TemplateError,
    Timeout,
    Truncated,
    UndecodableStream,
    Unsupported,
    ValidationError,
    WorkbenchError,
    WorkerDied,
    error_payload_adapter,
    is_kind,
    payload_from_os_error,
)
from workbench.media.frames import DefaultFrameRate, TimingProblem

PAYLOADS: list[ErrorPayload] = [
    NotFound(kind="template", id="x", path="/t"),
    NotFound(kind="case folder", id="y"),
    ValidationError.of([
        FieldProblem(field="levels.1.pattern", message="is empty", level=1),
        FieldProblem(field="name", message="is empty"),
    ]),
    ValidationError(field="occurrence", message="must not be blank"),
    MissingField(level=0, field="business", pattern="{business}"),
    CorruptFile(path="/p.json", detail="not JSON", backup="/p.json.corrupt-1"),
    CorruptFile(path="/p.json", detail="not JSON"),
    IoError(path="/p", operation="read", detail="Input/output error"),
    PathNotFound(path="/p"),
    PermissionDenied(path="/p", operation="write"),
    HashMismatch(file="/p", algorithm="blake3", expected="aa", actual="bb"),
    SourceChanged(path="/p", expected_size=1, actual_size=2, expected_mtime_ns=1,
                  actual_mtime_ns=2),
    DiskFull(path="/p", detail="No space left on device"),
    Conflict(path="/p", detail="sizes differ"),
    Unsupported(path="/p", kind="fifo"),
    Cancelled(),
    MissingDependency(feature="the fleet audit", package="dask[distributed]",
                      install='pip install "case-workbench[cluster]"'),
    SchedulerUnavailable(address="tcp://10.0.0.5:8786", detail="connection refused"),
    WorkerDied(path="/cases/a", worker="tcp://10.0.0.6:4000", detail="worker killed"),
    WorkerDied(path="/cases/a", detail="worker killed"),
    TaskFailed(path="/cases/a", exception="MemoryError", detail="out of memory"),
    NotMedia(path="/c.mp4", detail="empty file"),
    Truncated(path="/c.mp4", detail="the MP4 index (moov box) is missing", size=12_938),
    Truncated(path="/c.dav", detail="the last frame is cut short", size=10, expected_size=20),
    UndecodableStream(path="/c.mp4", stream=0, codec="h264", detail="no frame decodes"),
    UndecodableStream(path="/c.mp4", stream=1, detail="FFmpeg has no decoder for this stream"),
    Timeout(path="/c.mp4", seconds=30),
    ProbeCrashed(path="/c.mp4", exit_code=-11, signal="SIGSEGV"),
    ProbeCrashed(path="/c.mp4", exit_code=3),
    ChangedWhileRead(path="/c.mp4", expected_size=1, actual_size=2, expected_mtime_ns=1,
                     actual_mtime_ns=2),
    NotACaseFolder(path="/x", looked_for="evidence record (_evidence/)"),
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.type)
def test_str_is_a_sentence(payload: ErrorPayload) -> None:
    error = WorkbenchError(payload)
    text = str(error)
    assert text[0].isupper() or text.startswith("/")  # a sentence may open with its path
    assert text.endswith(".") and "\n" not in text and len(text.split()) >= 3
    assert error.type == payload.type


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.type)
def test_payload_round_trips_through_the_adapter(payload: ErrorPayload) -> None:
    as_json = error_payload_adapter.dump_json(payload)
    assert error_payload_adapter.validate_json(as_json) == payload
    as_dict = error_payload_adapter.dump_python(payload, mode="json")
    assert error_payload_adapter.validate_python(as_dict) == payload


def test_every_typed_problem_shares_one_base() -> None:
    """Error payloads, timing problems and clock problems derive from one `Problem`: each a
    concrete, frozen model that refuses unknown fields, with a `type` tag of its own."""
    members = [member for union in (ErrorPayload, TimingProblem, ClockProblem)
               for member in get_args(get_args(union)[0])]
    assert len(members) >= 40
    assert all(issubclass(member, Problem) and not member.__abstractmethods__
               for member in members)
    tags = [member.model_fields["type"].default for member in members]
    assert len(set(tags)) == len(tags)
    with pytest.raises(TypeError, match="abstract"):
        Problem()  # type: ignore[abstract]
    found = DefaultFrameRate(assumed_fps=25)
    assert found.describe().startswith("No header gives the frame rate (FFmpeg assumes 25")
    with pytest.raises(PydanticError):
        DefaultFrameRate(assumed_fps=25, guess=30)  # type: ignore[call-arg]
    with pytest.raises(PydanticError):
        found.assumed_fps = 30  # type: ignore[misc]


def test_validation_error_leads_with_the_first_problem() -> None:
    payload = PAYLOADS[2]
    assert isinstance(payload, ValidationError)
    assert (payload.field, payload.level, len(payload.problems)) == ("levels.1.pattern", 1, 2)
    assert str(TemplateError(payload)) == (
        "Invalid pattern in level 2: is empty; invalid name: is empty."
    )


def test_subclasses_are_workbench_errors() -> None:
    error = CaseError(PathNotFound(path="/x"))
    assert isinstance(error, WorkbenchError) and error.payload == PathNotFound(path="/x")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (errno.ENOENT, PathNotFound),
        (errno.EACCES, PermissionDenied),
        (errno.EROFS, PermissionDenied),
        (errno.ENOSPC, DiskFull),
        (errno.EIO, IoError),
    ],
)
def test_os_errors_map_to_payloads(code: int, kind: type) -> None:
    exc = OSError(code, "message", "/from/error")
    payload = payload_from_os_error(exc, "/given", "write")
    assert isinstance(payload, kind) and payload.path == "/given"
    assert payload_from_os_error(exc).path == "/from/error"


def test_error_kinds_are_told_apart_by_payload_class() -> None:
    cancelled = HashingError(Cancelled())
    assert is_kind(cancelled, Cancelled) and isinstance(cancelled, ProcessingError)
    assert not is_kind(cancelled, DiskFull)
    assert is_kind(cancelled, DiskFull, Cancelled)
    assert not is_kind(ValueError("Cancelled"), Cancelled)
    assert not isinstance(ReportError(Cancelled()), ProcessingError)

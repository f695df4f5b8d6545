"""What every verb shares: exit codes, the case file, Ctrl-C as cancel with the shared progress
relay on a console bar, and the lines several verbs print."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from tqdm import tqdm

from workbench.cases import DATE_FORMATS, DATE_ORDER_CONTEXT, CaseData, DateOrder
from workbench.errors import (
    AuditFailed,
    Cancelled,
    CaseError,
    Conflict,
    CorruptFile,
    ErrorPayload,
    MissingField,
    NotACaseFolder,
    NotFound,
    PathNotFound,
    Unsupported,
    ValidationError,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.events import CancelToken, JobReport, was_cancelled
from workbench.evidence import SourceVolume
from workbench.preferences import load_preferences
from workbench.relay import Relay
from workbench.templates import ResolvedPath

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
EXIT_BY_KIND: dict[type[ErrorPayload], int] = {
    Cancelled: EXIT_CANCELLED,
    **dict.fromkeys((NotFound, PathNotFound, NotACaseFolder, ValidationError, MissingField,
                     CorruptFile, Conflict, Unsupported), EXIT_BAD_INPUT),
}
"""The exit code of a verb stopped by a typed error, by the error's kind: 130 for a cancel,
2 for bad input (a name, path, field or file given that is wrong, or an output in the way);
every other kind (disk full, I/O, mismatch, audit failed, ...) is a failure: 1."""
CLI_HINTS: dict[type[ErrorPayload], str] = {
    AuditFailed: "add --allow-failed to export it with the failures in its record",
}
"""What to type next, by the error's kind, added to its one line (the API and the app say it
their own way: `allow_failed=True`, a tick box)."""
BYTES: dict[str, Any] = {"unit": "B", "unit_scale": True, "unit_divisor": 1024}
"""Bar options for a job counted in bytes."""
R = TypeVar("R", bound=JobReport)


def add_date_order(verb: argparse.ArgumentParser) -> None:
    """The `--date-order` option of a verb that reads dates typed by a person."""
    forms = ", ".join(f"{order}: {form}" for order, form in DATE_FORMATS.items())
    verb.add_argument("--date-order", choices=list(DATE_FORMATS),
                      help=f"how slashed dates read ({forms}); default: the preferences, "
                           "else ISO dates only (YYYY-MM-DD HH:MM)")


def add_case_file(verb: argparse.ArgumentParser, help_text: str = "case data JSON file", *,
                  required: bool = True) -> None:
    """The `--case FILE` option (and `--date-order` for its dates)."""
    verb.add_argument("--case", type=Path, required=required, help=help_text)
    add_date_order(verb)


def date_order(args: argparse.Namespace) -> DateOrder | None:
    """The date order of this run: `--date-order`, else the preferences'."""
    chosen: DateOrder | None = args.date_order or load_preferences().date_order
    return chosen


def read_case(args: argparse.Namespace) -> CaseData:
    """The `CaseData` of the JSON file `--case`, its slashed dates read in the run's
    `date_order`; typed errors for a missing or invalid file."""
    path: Path = args.case
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseError(payload_from_os_error(exc, str(path), "read")) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CaseError(CorruptFile(path=str(path), detail=f"not JSON ({exc})")) from None
    return CaseData.model_validate(data, context={DATE_ORDER_CONTEXT: date_order(args)})


def error_line(exc: WorkbenchError) -> str:
    """The one line a verb stopped by `exc` prints: its kind, its sentence, the CLI hint."""
    hint = CLI_HINTS.get(type(exc.payload))
    return f"error [{exc.type}]: {exc}" + (f" ({hint})" if hint else "")


def exit_code(exc: WorkbenchError) -> int:
    """The exit code for a verb stopped by `exc` (`EXIT_BY_KIND`)."""
    return EXIT_BY_KIND.get(type(exc.payload), EXIT_FAILED)


@contextmanager
def console_relay(desc: str, **bar: Any) -> Iterator[Relay]:
    """The shared relay on a tqdm bar on stderr, opened by the first event and cleared on the
    way out (a refusal prints only its error line); no bar when stderr is not a terminal."""
    bars: list[tqdm[Any]] = []

    def open_bar() -> tqdm[Any]:
        bars.append(tqdm(total=0, desc=desc, file=sys.stderr, dynamic_ncols=True,
                         leave=False, disable=None, **bar))
        return bars[0]

    try:
        yield Relay(open_bar, lambda text: bars[0].set_postfix_str(text, refresh=False))
    finally:
        for opened in bars:
            opened.close()


def run_job(desc: str, work: Callable[[CancelToken, Relay], R], **bar: Any) -> R:
    """Run a long job the one way every verb does: Ctrl-C cancels the token (the job stops
    within a chunk and returns its report, outcome `cancelled`), progress moves a bar."""
    token = CancelToken()

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        print("\ncancelling after the current chunk…", file=sys.stderr)
        token.cancel()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        with console_relay(desc, **bar) as relay:
            return work(token, relay)
    finally:
        signal.signal(signal.SIGINT, previous)


def job_exit(report: JobReport, ok: bool) -> int:
    """A long job's exit code, the one way every verb takes it: a cancelled job exits as a
    `Cancelled` error does (`EXIT_BY_KIND`, 130), else 0 when `ok`, else 1."""
    if was_cancelled(report):
        return EXIT_BY_KIND[Cancelled]
    return EXIT_OK if ok else EXIT_FAILED


def tree_lines(resolved: ResolvedPath) -> list[str]:
    """The resolved case folder drawn as an indented tree, one level a line."""
    lines, depth = [], 0
    for level in resolved.levels:
        if level.value is None:
            continue
        marker = "  (fallback)" if level.used_fallback else ""
        lines.append(("    " * (depth - 1) + "└── " if depth else "") + f"{level.value}/{marker}")
        depth += 1
    return lines


def print_source_volumes(volumes: Sequence[SourceVolume]) -> None:
    """Each source's volume, and the advisory for one that is not read-only (on stderr)."""
    for volume in volumes:
        print(f"source {volume.source} on {volume.summary()}")
        if volume.advisory:
            print(f"advisory: {volume.advisory}", file=sys.stderr)


def print_cache_warning(cache_free: bool) -> None:
    """Say it when this OS could not keep the page cache out of a read-back."""
    if not cache_free:
        print("note: this system could not bypass its page cache: files were re-read and "
              "matched, possibly from memory rather than from the disk")


def print_record_errors(payloads: Sequence[ErrorPayload]) -> None:
    """Evidence-record writes that failed: the files may be fine, the record is not."""
    for payload in payloads:
        print(f"record error [{payload.type}]: {payload.describe()}")

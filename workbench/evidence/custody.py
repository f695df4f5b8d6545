"""The case folder's custody log: one typed entry per line (`evidence.entries`), appended,
never rewritten. Every writer builds an entry and hands it to `append_custody`, the one place
a line is written; every reader gets entries back from `custody_entry` / `read_custody`.

Each line names the SHA-256 of the line before it (`previous_sha256`, empty on the first), so
an edited, removed or inserted line breaks the chain at a line a check can name. Lines are
ASCII JSON: a name that is not UTF-8 keeps its bytes, as escaped surrogates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock
from pydantic import ValidationError as PydanticValidationError

from workbench.atomic import append_line, last_line
from workbench.errors import CorruptFile, EvidenceError
from workbench.evidence.entries import (
    CLEANUP_EVENT,
    REPAIR_EVENT,
    AuditEntry,
    CleanupEntry,
    CopyEntry,
    CustodyEntry,
    DerivedEntry,
    ExportEntry,
    OtherEntry,
    RepairEntry,
    custody_adapter,
)
from workbench.evidence.layout import CUSTODY_LOCK, CUSTODY_LOG, evidence_dir
from workbench.evidence.provenance import identity

__all__ = [
    "CLEANUP_EVENT",
    "PREVIOUS",
    "REPAIR_EVENT",
    "AuditEntry",
    "CleanupEntry",
    "CopyEntry",
    "CustodyEntry",
    "DerivedEntry",
    "ExportEntry",
    "OtherEntry",
    "RepairEntry",
    "append_custody",
    "append_entry",
    "custody_adapter",
    "custody_entry",
    "line_sha256",
    "note_repair",
    "read_custody",
    "who",
]

PREVIOUS = "previous_sha256"
"""The field of each custody line holding the SHA-256 (hex) of the line before it."""


def custody_entry(data: Any, where: str = "custody log") -> CustodyEntry:
    """The typed entry of one decoded line; `EvidenceError(CorruptFile)` when it is none."""
    try:
        return custody_adapter.validate_python(data)
    except PydanticValidationError as exc:
        detail = f"not a custody entry ({exc.error_count()} problem(s): {exc.errors()[0]['msg']})"
        raise EvidenceError(CorruptFile(path=where, detail=detail)) from None


def read_custody(path: Path, *, skip_bad: bool = False) -> Iterator[CustodyEntry]:
    """Each entry of the custody log at `path` (none when it has none). Raises
    `EvidenceError(CorruptFile)` at the first line that is not JSON or not an entry, unless
    `skip_bad` (then such a line is passed over). Raises OSError when it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _line_entry(line, path, number)
        except EvidenceError:
            if not skip_bad:
                raise


def _line_entry(line: str, path: Path, number: int) -> CustodyEntry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        detail = f"line {number} is not JSON ({exc.msg})"
        raise EvidenceError(CorruptFile(path=str(path), detail=detail)) from None
    return custody_entry(data, f"{path} line {number}")


def append_custody(case_dir: Path, entry: CustodyEntry) -> None:
    """Append one entry to the case folder's custody log (`append_entry`). Raises OSError."""
    folder = evidence_dir(case_dir)
    folder.mkdir(parents=True, exist_ok=True)
    append_entry(folder / CUSTODY_LOG, entry)


def append_entry(log: Path, entry: CustodyEntry) -> None:
    """Append one entry as a JSON line to the custody log at `log`, chained to its last line,
    and make it durable: the one place a line is written (fields left at their default are not
    written; a link the entry carries from elsewhere is replaced by this log's). Raises
    OSError."""
    fields = entry.model_dump(mode="json", exclude_unset=True, exclude={PREVIOUS})
    with FileLock(log.with_name(CUSTODY_LOCK)):
        previous = last_line(log)
        link = "" if previous is None else line_sha256(previous)
        append_line(log, json.dumps({"event": entry.event, **fields, PREVIOUS: link}).encode())


def line_sha256(line: bytes) -> str:
    """The hash of a custody line (without its newline) that the next line names."""
    return hashlib.sha256(line).hexdigest()


def who() -> dict[str, str]:
    """`user`, `host` and `tool_version` of this run, for a new entry."""
    user, host, version = identity()
    return {"user": user, "host": host, "tool_version": version}


def note_repair(case_dir: Path, kind: type[CleanupEntry | RepairEntry], outcome: str,
                **details: Any) -> None:
    """Record in the custody log that this tool cleaned up after an interrupted run of its own:
    what it found, what it did (`outcome`, a sentence) and who did it."""
    now = datetime.now(timezone.utc).isoformat()
    append_custody(case_dir, kind(**who(), started=now, finished=now, outcome=outcome,
                                  **details))

"""The batch journal: one JSON line per change of a job's state, appended durably.

Running the same batch again reads it: a job whose last state is `completed` (and whose case
folder still has its manifest) is not run again; any other job runs, and its copy skips
what it verified before. The journal of a CSV batch sits next to the file
(`cases.journal.jsonl`), or under the workbench home when that folder is read-only; that
of a DataFrame batch is `<workbench home>/batches/journal.jsonl`. Lines are appended under
a lock; a line torn by a crash is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import ClassVar, Literal

from filelock import FileLock
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from workbench.atomic import append_line
from workbench.batch.table import Table
from workbench.batch.types import BatchJob
from workbench.errors import BatchError, WorkbenchError, payload_from_os_error
from workbench.evidence.layout import manifest_path
from workbench.evidence.provenance import identity
from workbench.hashing import platform
from workbench.model import Contract
from workbench.preferences.storage import workbench_home

log = logging.getLogger(__name__)

JobState = Literal["running", "completed", "completed_with_errors", "cancelled", "failed"]
"""A job's state in the journal."""
JOURNAL_SUFFIX = ".journal.jsonl"
"""Replaces `.csv` in the name of a CSV batch's journal."""
BATCHES_FOLDER = "batches"
"""Folder of the journals kept under the workbench home."""


class JournalEntry(Contract):
    """One change of a job's state."""

    error_class: ClassVar = BatchError

    key: str
    """The job's key (a digest of its row)."""
    row: int
    """The job's row in the batch."""
    occurrence: str
    """The case's occurrence number."""
    state: JobState
    """running, completed, completed_with_errors, cancelled or failed."""
    case_folder: Path
    """The master case folder."""
    time: datetime
    """When the state changed (UTC)."""
    host: str
    """Host name of the machine that ran the job."""
    pid: int
    """Process id that ran the job."""
    counts: dict[str, int] = Field(default_factory=dict)
    """Files by status when the copy ended."""
    bytes_verified: int = 0
    """Bytes verified by the copy."""
    duration_s: float = 0.0
    """Seconds the copy took."""
    error: str = ""
    """The error, when the job failed."""


def journal_path(table: Table) -> Path:
    """Where the journal of `table` lives (see the module's docstring)."""
    if table.path is None:
        return workbench_home() / BATCHES_FOLDER / "journal.jsonl"
    beside = table.path.with_name(table.path.stem + JOURNAL_SUFFIX)
    if os.access(table.path.parent, os.W_OK) and (not beside.exists()
                                                  or os.access(beside, os.W_OK)):
        return beside
    digest = hashlib.sha256(str(table.path).encode()).hexdigest()[:12]
    return workbench_home() / BATCHES_FOLDER / f"{table.path.stem}-{digest}{JOURNAL_SUFFIX}"


class Journal:
    """Reads the last state of each job; appends state changes (thread- and process-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file_lock = FileLock(path.with_name(path.name + ".lock"))

    def states(self) -> dict[str, JournalEntry]:
        """The last entry of every job key; unreadable lines are logged and skipped."""
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise BatchError(payload_from_os_error(exc, str(self.path), "read")) from None
        last: dict[str, JournalEntry] = {}
        for number, line in enumerate(lines, start=1):
            try:
                entry = JournalEntry.model_validate_json(line)
            except (WorkbenchError, PydanticValidationError, ValueError):
                log.warning("%s line %d is not a journal entry (torn by a crash?): skipped",
                            self.path, number)
                continue
            last[entry.key] = entry
        return last

    def done(self, job: BatchJob, states: dict[str, JournalEntry]) -> JournalEntry | None:
        """The entry that says `job` completed, if its case folder still has its record."""
        entry = states.get(job.key)
        if entry is None or entry.state != "completed":
            return None
        return entry if manifest_path(job.case_folder, "blake3").is_file() else None

    def check_writable(self) -> None:
        """Raise `BatchError` now if the journal cannot be written (before anything runs)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(platform.SYSTEM.open_append(self.path))
        except OSError as exc:
            raise BatchError(payload_from_os_error(exc, str(self.path), "write")) from None

    def record(self, job: BatchJob, state: JobState, *, counts: dict[str, int] | None = None,
               bytes_verified: int = 0, duration_s: float = 0.0, error: str = "") -> None:
        """Append one state change durably. Raises `BatchError` if the journal cannot be
        written (a batch that cannot record its progress must not run)."""
        _user, host, _version = identity()
        entry = JournalEntry(
            key=job.key, row=job.row, occurrence=job.case.occurrence, state=state,
            case_folder=job.case_folder, time=datetime.now(timezone.utc), host=host,
            pid=os.getpid(), counts=counts or {}, bytes_verified=bytes_verified,
            duration_s=duration_s, error=error,
        )
        line = json.dumps(entry.model_dump(mode="json"), ensure_ascii=False).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self._file_lock:
                append_line(self.path, line)
        except OSError as exc:
            raise BatchError(payload_from_os_error(exc, str(self.path), "write")) from None

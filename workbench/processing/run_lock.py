"""Which `.partial` files are this tool's own leftovers: the run lock of a case folder.

For each case folder it writes, a copy holds `_evidence/copy.lock` (an advisory lock the
kernel drops when its process dies) and, before it creates any partial, records in
`_evidence/copy-run.json` its process id, host, start time and every file it may leave as
`.partial`. At its end the run removes any partial still there (one a failing file system
would not let go when the file failed); those it still cannot remove it lists in the record,
marked `ended`, and only then is the record gone. A later copy that finds such a record with
the lock free, either `ended` or written on this host by a process that no longer runs,
knows the partials it names were left by a copy of this tool: it removes them (noting it in
the custody log) and copies those files again. Any other `.partial` stays a conflict for a
person to look at.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import psutil
from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from workbench.atomic import write_atomic
from workbench.errors import Conflict, ProcessingError, payload_from_os_error
from workbench.evidence.custody import CleanupEntry, note_repair
from workbench.evidence.layout import RUN_LOCK, evidence_dir
from workbench.evidence.provenance import identity
from workbench.hashing.partial import PARTIAL_SUFFIX
from workbench.processing.types import CopyPlan, PlannedFiles

log = logging.getLogger(__name__)

RUN_FILE = "copy-run.json"
"""In the evidence record: who is copying into the case folder and which partials it makes."""
_START_SLACK_S = 1.0
"""A process started later than the record (by more than this) is not its writer."""


class RunOwner(BaseModel):
    """The copy that holds (or held) a case folder's run lock."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    pid: int
    """Process id of the copy."""
    host: str
    """Host name of the machine it ran on."""
    user: str
    """Operating-system user who ran it."""
    started: datetime
    """When it took the lock (UTC)."""
    partials: list[str]
    """Relative paths (inside the case folder) of the files it may leave as `.partial`."""
    ended: bool = False
    """True once the run ended (not killed) leaving these partials it could not remove."""

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started:%Y-%m-%d %H:%M:%S} UTC"


def leftover_partials(case_dir: Path) -> frozenset[str]:
    """Relative paths whose `.partial` in `case_dir` a dead copy of this tool left; empty
    unless that is proven (record on this host, its process gone, the lock free)."""
    owner = _recorded_owner(case_dir)
    if owner is None or not (owner.ended or _gone(owner)):
        return frozenset()
    lock = FileLock(evidence_dir(case_dir) / RUN_LOCK, timeout=0)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return frozenset()
    lock.release()
    return frozenset(owner.partials)


@contextlib.contextmanager
def claim_case_folders(plan: CopyPlan) -> Iterator[None]:
    """Hold the run lock of every case folder of `plan` while it runs: first remove the
    partials a dead copy is proven to have left, then record this run's own.

    Raises `ProcessingError`: `Conflict` when a live copy holds a lock, or the OS error's
    payload when the evidence record cannot be written.
    """
    planned: list[list[str]] = [[] for _ in plan.targets]
    items = PlannedFiles.of_any(plan.items)
    for action, relative, of in zip(items.values("action"), items.values("relative"),
                                    plan.row_targets(), strict=True):
        if action == "copy":
            planned[of].append(relative)
    with contextlib.ExitStack() as stack:
        for target in plan.targets:  # each list is dropped by its claim once on disk
            stack.enter_context(_claim(target.destination, planned.pop(0)))
        yield


@contextlib.contextmanager
def _claim(case_dir: Path, partials: list[str]) -> Iterator[None]:
    folder = evidence_dir(case_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProcessingError(payload_from_os_error(exc, str(folder), "create")) from exc
    lock = FileLock(folder / RUN_LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        owner = _recorded_owner(case_dir)
        holder = owner.describe() if owner else "another process"
        raise ProcessingError(Conflict(
            path=str(case_dir), detail=f"a copy is writing into it right now ({holder})",
        )) from None
    try:
        stale = _recorded_owner(case_dir)
        if stale is not None and (stale.ended or _gone(stale)):
            _remove_leftovers(case_dir, stale)
        user, host, _version = identity()
        record = RunOwner(pid=os.getpid(), host=host, user=user,
                          started=datetime.now(timezone.utc), partials=partials)
        try:
            # json.dumps keeps a name that is not UTF-8 as an escaped surrogate, and back
            write_atomic(folder / RUN_FILE, json.dumps(record.model_dump(mode="json")).encode())
        except OSError as exc:
            raise ProcessingError(payload_from_os_error(exc, str(folder / RUN_FILE), "write")
                                  ) from exc
        del record, partials  # on disk now: 100,000 names need not stay in memory for the run
        yield
        _end(case_dir)
    finally:
        lock.release()


def _end(case_dir: Path) -> None:
    """Remove what partials the run left; list those that stay, else forget the record."""
    path = evidence_dir(case_dir) / RUN_FILE
    owner = _recorded_owner(case_dir)
    try:
        left = [] if owner is None else [
            relative for relative in owner.partials if not _removed(case_dir, relative)]
        if owner is not None and left:
            ended = owner.model_copy(update={"partials": left, "ended": True})
            write_atomic(path, json.dumps(ended.model_dump(mode="json")).encode())
        else:
            path.unlink(missing_ok=True)
    except OSError:  # a failing file system: the record stays, its process seen gone later
        log.warning("could not settle %s in %s", RUN_FILE, case_dir, exc_info=True)


def _removed(case_dir: Path, relative: str) -> bool:
    """Whether the file's partial is gone (removed now, or never there)."""
    partial = case_dir / f"{relative}{PARTIAL_SUFFIX}"
    try:
        partial.unlink()
    except FileNotFoundError:
        return True
    except OSError:
        return not partial.exists()
    return True


def _remove_leftovers(case_dir: Path, owner: RunOwner) -> None:
    removed = []
    for relative in owner.partials:
        partial = case_dir / f"{relative}{PARTIAL_SUFFIX}"
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if partial.is_file() and not partial.is_symlink():
                partial.unlink()
                removed.append(relative + PARTIAL_SUFFIX)
    if removed:
        outcome = (f"removed {len(removed)} partial file(s) left by an interrupted copy "
                   f"({owner.describe()}); they are copied again")
        log.warning("%s: %s", case_dir, outcome)
        note_repair(case_dir, CleanupEntry, outcome, files=removed)


def _recorded_owner(case_dir: Path) -> RunOwner | None:
    try:
        return RunOwner.model_validate(json.loads((evidence_dir(case_dir) / RUN_FILE).read_bytes()))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError, PydanticValidationError):
        log.warning("unreadable %s in %s: its partials stay conflicts", RUN_FILE, case_dir,
                    exc_info=True)
        return None


def _gone(owner: RunOwner) -> bool:
    """True when the record's process is proven not to run any more (on this host)."""
    if owner.host != socket.gethostname():
        return False
    try:
        process = psutil.Process(owner.pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return True
        started = process.create_time()
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False
    return started > owner.started.timestamp() + _START_SLACK_S  # a later process, same pid

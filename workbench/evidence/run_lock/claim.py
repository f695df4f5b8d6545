"""Which `.partial` files are this tool's own leftovers: the run lock of a case folder.

A run (a copy, or a run making derived files: `kinds`) holds the advisory lock of its kind
(the kernel drops it when its process dies) and, before it creates any partial, records
beside the lock its process id, host, start time and every file it may leave as `.partial`
(or, for a few record files, as an atomic write's temp file). At its end the run removes any
partial still there (one a failing file system would not let go when the file failed); those
it still cannot remove it lists in the record, marked `ended`, and only then is the record
gone. A later run that finds such a record with the lock free, either `ended` or written on
this host by a process that no longer runs, knows the files it names were left by a run of
this tool: it removes them (noting it in the custody log) and makes those files again. Any
other `.partial` stays a conflict for a person to look at.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from workbench.atomic import temp_files
from workbench.errors import Conflict, IoError, payload_from_os_error
from workbench.evidence.custody import CleanupEntry, note_repair
from workbench.evidence.layout import evidence_dir
from workbench.evidence.provenance import identity
from workbench.evidence.run_lock.kinds import RunKind
from workbench.evidence.run_lock.owner import RunOwner, read_owner, write_owner
from workbench.hashing.partial import PARTIAL_SUFFIX

log = logging.getLogger(__name__)


def leftover_partials(case_dir: Path, kind: RunKind) -> frozenset[str]:
    """The files (named as the record names them) whose `.partial` a dead run of `kind` left
    in `case_dir`; empty unless that is proven (record on this host, its process gone, the
    lock free): a plan counts them as the run's to redo, not as conflicts."""
    folder = evidence_dir(case_dir)
    owner = read_owner(folder / kind.record)
    if owner is None or not (owner.ended or owner.gone()):
        return frozenset()
    lock = FileLock(folder / kind.lock, timeout=0)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return frozenset()
    lock.release()
    return frozenset(owner.partials)


class RunClaim:
    """A run lock this run holds: what it records of the files it may leave unfinished."""

    def __init__(self, case_dir: Path, kind: RunKind, folder: Path) -> None:
        self.case_dir, self.kind, self.folder = case_dir, kind, folder

    @property
    def record(self) -> Path:
        """The run record's path."""
        return self.folder / self.kind.record

    def add(self, partials: Iterable[str], temps: Iterable[str] = ()) -> None:
        """Record more files this run may leave as `.partial` (or as an atomic write's temp
        file), before it makes them. Raises the kind's error when the record cannot be
        written."""
        owner = read_owner(self.record)
        if owner is None:
            raise self.kind.error(IoError(path=str(self.record), operation="read",
                                          detail="the run record is gone or unreadable"))
        self._write(owner.model_copy(update={"partials": [*owner.partials, *partials],
                                             "temps": [*owner.temps, *temps]}))

    def _write(self, owner: RunOwner) -> None:
        try:
            write_owner(self.record, owner)
        except OSError as exc:
            raise self.kind.error(payload_from_os_error(exc, str(self.record), "write")
                                  ) from exc


@contextlib.contextmanager
def claim_run(case_dir: Path, kind: RunKind, partials: list[str] | None = None, *,
              temps: Iterable[str] = (), where: Path | None = None) -> Iterator[RunClaim]:
    """Hold `case_dir`'s run lock of `kind` (in `where`, default its evidence record) while
    the run runs: first remove what a dead run of that kind is proven to have left, then
    record this run's own `partials` and `temps` (named relative to the case folder, or
    absolute; more partials may be added with `RunClaim.add`).

    Raises the kind's error: `Conflict` while a live run holds the lock, or the OS error's
    payload when the lock or the record cannot be made.
    """
    folder = where or evidence_dir(case_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise kind.error(payload_from_os_error(exc, str(folder), "create")) from exc
    lock = FileLock(folder / kind.lock, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        owner = read_owner(folder / kind.record)
        holder = owner.describe() if owner else "another process"
        raise kind.error(Conflict(path=str(case_dir), detail=f"{kind.busy} ({holder})")
                         ) from None
    except OSError as exc:
        raise kind.error(payload_from_os_error(exc, str(folder), "lock")) from None
    try:
        claim = RunClaim(case_dir, kind, folder)
        stale = read_owner(claim.record)
        if stale is not None and (stale.ended or stale.gone()):
            _remove_leftovers(case_dir, stale, kind)
        user, host, _version = identity()
        claim._write(RunOwner(pid=os.getpid(), host=host, user=user,
                              started=datetime.now(timezone.utc), partials=partials or [],
                              temps=list(temps)))
        del partials  # on disk now: 100,000 names need not stay in memory for the run
        yield claim
        _end(case_dir, claim.record)
    finally:
        lock.release()


def _end(case_dir: Path, record: Path) -> None:
    """Remove what partials the run left; list those that stay, else forget the record."""
    owner = read_owner(record)
    try:
        left = [] if owner is None else [
            name for name in owner.partials if not _removed(case_dir / f"{name}{PARTIAL_SUFFIX}")]
        if owner is not None and left:
            write_owner(record, owner.model_copy(update={"partials": left, "ended": True}))
        else:
            record.unlink(missing_ok=True)
    except OSError:  # a failing file system: the record stays, its process seen gone later
        log.warning("could not settle %s", record, exc_info=True)


def _removed(partial: Path) -> bool:
    """Whether the partial is gone (removed now, or never there)."""
    try:
        partial.unlink()
    except FileNotFoundError:
        return True
    except OSError:
        return not partial.exists()
    return True


def _remove_leftovers(case_dir: Path, owner: RunOwner, kind: RunKind) -> None:
    found = [case_dir / f"{name}{PARTIAL_SUFFIX}" for name in owner.partials]
    found += [temp for name in owner.temps for temp in temp_files(case_dir / name)]
    removed = []
    for path in found:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path.relative_to(case_dir).as_posix()
                               if path.is_relative_to(case_dir) else str(path))
    if removed:
        outcome = (f"removed {len(removed)} partial file(s) left by {kind.interrupted} "
                   f"({owner.describe()}); {kind.redo}")
        log.warning("%s: %s", case_dir, outcome)
        with contextlib.suppress(OSError):  # a read-only case folder (derived files go to
            note_repair(case_dir, CleanupEntry, outcome, files=removed)  # `out`): logged above


__all__ = ["RunClaim", "claim_run", "leftover_partials"]

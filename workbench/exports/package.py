"""What every export checks before it writes a byte, and the errors they share."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from workbench import events
from workbench.atomic import fsync_dir
from workbench.errors import AuditFailed, Conflict, ExportError, payload_from_os_error
from workbench.evidence.types import VerifyRow
from workbench.exports.source import CaseSource, SourceFile, check_name, check_out_dir
from workbench.hashing.partial import partial_path


@dataclass(frozen=True)
class Target:
    """Where a package goes, and where its name came from."""

    source: CaseSource
    path: Path
    origin: str
    """`template 'x'`, or why the default name was used."""

    def checked(self, files: Sequence[SourceFile]) -> list[SourceFile]:
        """`files`, once each of their package names is known to be safe."""
        for item in files:
            check_name(item.path, self.source.package_name(item.relative))
        return list(files)

    def taken(self) -> ExportError:
        """The error for a package name that is already used."""
        return ExportError(Conflict(path=str(self.path), detail="an export never replaces "
                                    "anything; choose another output folder"))

    def partial_error(self, exc: OSError) -> ExportError:
        """The error for a `.partial` that cannot be created."""
        partial = partial_path(self.path)
        if isinstance(exc, FileExistsError):
            return ExportError(Conflict(path=str(partial), detail="an interrupted export left "
                                        "it; remove it and export again"))
        return ExportError(payload_from_os_error(exc, str(partial), "create"))

    def sync_folder(self) -> None:
        """Make the package's new name durable."""
        fsync_dir(self.path.parent)


@dataclass
class CaseReport:
    """The case folder's printable report, brought up to date on a thread of its own while
    the export reads the evidence. `start` it once the export has listed what it reads (the
    report's temporary files come and go in the record); `current` returns once it is
    written (it starts it first if need be). Without a `pool` there is nothing to write."""

    folder: Path
    pool: Executor | None = None
    _job: Future[None] | None = field(default=None, init=False)

    def start(self) -> None:
        """Begin writing the report, unless it was begun already."""
        if self._job is None and self.pool is not None:
            self._job = self.pool.submit(events.emit, events.CASE_RECORD_CHANGED, self.folder)

    def current(self) -> None:
        """Return once the report is written."""
        self.start()
        if self._job is not None:
            self._job.result()


def prepare_target(source: CaseSource, out_dir: str | os.PathLike[str], name: str,
                   origin: str, also: Sequence[Path] = ()) -> Target:
    """The package's place in `out_dir` (created if needed), after every check that needs no
    reading: no name of the case is unsafe, nothing is at the package's name (or `also`)."""
    folder = check_out_dir(source, out_dir)
    target = Target(source, folder / name, origin)
    target.checked(source.evidence)
    for path in (target.path, *(folder / extra.name for extra in also)):
        if os.path.lexists(path):
            raise Target(source, path, origin).taken()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(payload_from_os_error(exc, str(folder), "create")) from exc
    return target


def refuse_problems(source: CaseSource, rows: Sequence[VerifyRow], allow_failed: bool) -> None:
    """Raise `AuditFailed` naming every file the audit did not find ok, unless allowed."""
    problems = [row for row in rows if row.status != "ok"]
    if problems and not allow_failed:
        raise ExportError(AuditFailed(
            case_dir=str(source.case_dir),
            files=[f"{row.path.as_posix()} ({row.status})" for row in problems],
        ))

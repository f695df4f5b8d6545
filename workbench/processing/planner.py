"""The copy plan: every source file at every destination, and what the copy will do with it.

Folders are walked with `os.scandir` (one `stat` per file, no symlink followed out of the
source). A destination that already holds the file (same size) is `skip` only when every
manifest of the case folder lists it and it is the very file that was verified (device,
inode, size, mtime, ctime: `evidence.identity`); otherwise it is `recheck`: re-read cold
against the source by the copy, never trusted. A different size is a `conflict`, as is a
`.partial` there unless a killed copy of this tool is proven to have left it (`run_lock`).
Sockets, devices, fifos and symlinks that leave the source are `refused`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from workbench.cases import CaseData
from workbench.errors import (
    Conflict,
    FieldProblem,
    ProcessingError,
    UnsafeName,
    ValidationError,
    payload_from_os_error,
)
from workbench.evidence.integrity import identity_of, read_identities
from workbench.evidence.layout import RECORD_DIRS
from workbench.evidence.manifest import read_manifest
from workbench.evidence.run_lock import COPY_RUN, leftover_partials
from workbench.evidence.types import Role
from workbench.evidence.volumes import identify
from workbench.foreign import Applied, RecordSet, apply_to, find_records
from workbench.hashing.algorithms import HashAlgorithm, normalise_algorithms, with_mhl_digest
from workbench.hashing.partial import PARTIAL_SUFFIX
from workbench.paths import absolute
from workbench.processing.sources import SourceFile, walk_source
from workbench.processing.types import (
    CaseTarget,
    CopyPlan,
    PlanAction,
    PlannedFile,
    PlannedFiles,
    SourceRecord,
)
from workbench.templates.commands import get_template, resolve_path
from workbench.templates.types import Template


def plan_copy(
    sources: Sequence[str | os.PathLike[str]],
    case: CaseData,
    template: Template | str,
    destination_root: str | os.PathLike[str],
    *,
    also_to: Sequence[str | os.PathLike[str]] = (),
    algorithms: Sequence[str] | None = None,
    source_records: bool = True,
) -> CopyPlan:
    """List every source file at the master destination and at each working copy.

    A source folder that carries another tool's record (ASC MHL history, bag, checksum
    lists ...) has each of its files planned with the digests that record expects, and the
    record's algorithms join the copy's read; `source_records=False` leaves records out
    (a caller that audits the source itself, such as an export of a case folder)."""
    if isinstance(template, str):
        template = get_template(template)
    relative = resolve_path(template, case).relative
    roots = [absolute(root) for root in (destination_root, *also_to)]
    source_paths = [_existing_source(source) for source in sources]
    if not source_paths:
        raise _invalid("sources", "give at least one source file or folder", actual="[]")
    if len(set(source_paths)) != len(source_paths):
        raise _invalid("sources", "the same source is given twice", actual=str(source_paths))
    targets = _targets(roots, relative)
    _refuse_overlaps(source_paths, targets)
    walked = {source: list(walk_source(source)) for source in source_paths}
    files = [found for source_files in walked.values() for found in source_files]
    _refuse_duplicates(files)
    records = {
        source: found for source in source_paths
        if source_records and (found := _record_of(source))
    }
    chosen = with_mhl_digest(normalise_algorithms([*(algorithms or ()), *(
        algorithm for found in records.values() for algorithm in found.algorithms
    )]))
    planners = [_TargetPlanner(target, chosen) for target in targets]
    items: Iterable[PlannedFile] = (row for planner in planners for row in planner.rows(files))
    checked = []
    for source, found in records.items():
        applied = apply_to(found, source)
        items = _with_expectations(items, walked[source], applied, found.records[0].path)
        checked.append(_source_record(source, found, applied, walked[source]))
    return CopyPlan(
        case=case, template_id=template.id, sources=source_paths, targets=targets,
        items=PlannedFiles.of(items), algorithms=chosen, created=datetime.now(timezone.utc),
        source_records=checked, source_volumes=[identify(source) for source in source_paths],
        warnings=list(_unencodable(files)),
    )


def _unencodable(files: list[SourceFile]) -> Iterator[UnsafeName]:
    """A warning for each name that is not UTF-8 (its bytes kept by `surrogateescape`)."""
    for found in files:
        try:
            found.key.encode()
        except UnicodeEncodeError:
            yield UnsafeName(path=str(found.path), reason=(
                "its name is not UTF-8: the custody log, run reports and sha256sum-style "
                "manifests keep its bytes, but b3sum --check cannot read manifest.blake3 "
                "with it and the ASC MHL history shows it escaped"))


def _record_of(source: Path) -> RecordSet | None:
    """The record another tool left in a source folder, if any."""
    return find_records(source) if source.is_dir() else None


def _inner(found: SourceFile) -> str:
    """A source file's path inside its source folder."""
    return PurePosixPath(*found.relative.parts[1:]).as_posix()


def _with_expectations(items: Iterable[PlannedFile], files: list[SourceFile], applied: Applied,
                       record: Path) -> Iterator[PlannedFile]:
    """The items of one source's files, each given what the source's record expects of it."""
    expected = {found.path: applied.digests[key] for found in files
                if (key := _inner(found)) in applied.digests}
    return (
        item.model_copy(update={"expected": expected[item.source], "record": record})
        if item.source in expected else item
        for item in items
    )


def _source_record(source: Path, found: RecordSet, applied: Applied, files: list[SourceFile]
                   ) -> SourceRecord:
    present = {_inner(found) for found in files}
    missing = sorted(PurePosixPath(source.name) / name for name in applied.digests
                     if name not in present)
    return SourceRecord(source=source, records=found.records, missing=missing,
                        problems=found.problems)


def refresh_plan(plan: CopyPlan) -> CopyPlan:
    """`plan` with its `copy` rows decided again against the destinations as they are now (a
    plan run twice skips what the first run verified), from its columns: only changed rows made."""
    planners = [_TargetPlanner(target, plan.algorithms) for target in plan.targets]
    items = PlannedFiles.of_any(plan.items)
    changed: dict[int, dict[str, Any]] = {}
    names = ("action", "hashes", "error", "relative", "size", "mtime_ns", "destination")
    rows = zip(plan.row_targets(), *(items.values(name) for name in names), strict=True)
    for row, (target, action, hashes, error, *found) in enumerate(rows):
        if action in ("copy", "recheck"):
            now = planners[target].decide(*found)
            if now != (action, hashes or {}, error):
                changed[row] = dict(zip(("action", "hashes", "error"), now, strict=True))
    return plan.model_copy(update={"items": PlannedFiles.of(
        item.model_copy(update=changed[row]) if row in changed else item
        for row, item in enumerate(items))}) if changed else plan


def _existing_source(source: str | os.PathLike[str]) -> Path:
    path = absolute(source)
    try:
        path.stat()
    except OSError as exc:
        raise ProcessingError(payload_from_os_error(exc, str(path), "read")) from exc
    return path


def _targets(roots: list[Path], relative: PurePosixPath) -> list[CaseTarget]:
    """One case folder per root, master first; each root must exist or be creatable."""
    if len(set(roots)) != len(roots):
        raise _invalid("also_to", "the same destination root is given twice", actual=str(roots))
    for root in roots:
        _check_creatable(root)
    return [
        CaseTarget(root=root, destination=root / relative, role=_role(i))
        for i, root in enumerate(roots)
    ]


def _role(index: int) -> Role:
    return "master" if index == 0 else "working"


def _check_creatable(root: Path) -> None:
    """The root is a folder, or its nearest existing ancestor is a writable folder."""
    folder = root
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise _invalid("destination_root", f"{folder} is not a folder", actual=str(root))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ProcessingError(
            payload_from_os_error(PermissionError(13, "Permission denied"), str(folder), "create")
        )


def _refuse_overlaps(sources: list[Path], targets: list[CaseTarget]) -> None:
    """A case folder inside a source (or a source inside a case folder) would copy itself."""
    for source in sources:
        real_source = Path(os.path.realpath(source))
        for target in targets:
            case_dir = Path(os.path.realpath(target.destination))
            if case_dir.is_relative_to(real_source) or real_source.is_relative_to(case_dir):
                raise _invalid(
                    "sources", f"{source} and the case folder {target.destination} overlap",
                    actual=str(source),
                )


def _refuse_duplicates(files: list[SourceFile]) -> None:
    seen: dict[str, Path] = {}
    for found in files:
        if found.relative.parts[0] in RECORD_DIRS:
            raise _invalid(
                "sources", f"{found.path} would land in the case folder's record folder "
                f"{found.relative.parts[0]!r}", actual=str(found.path),
            )
        other = seen.setdefault(found.key, found.path)
        if other != found.path:
            raise _invalid(
                "sources", f"{other} and {found.path} would both be copied to {found.relative}",
                actual=str(found.relative),
            )


def _invalid(field: str, message: str, *, actual: str) -> ProcessingError:
    return ProcessingError(ValidationError.of([FieldProblem(field=field, message=message)],
                                              actual=actual))


class _TargetPlanner:
    """Decides each file's action at one case folder, listing each folder once."""

    def __init__(self, target: CaseTarget, algorithms: list[HashAlgorithm]) -> None:
        self.target, self.algorithms = target, algorithms
        self.manifests = {alg: read_manifest(target.destination, alg) for alg in algorithms}
        self.identities = read_identities(target.destination)
        """What each file verified there was when it was verified."""
        self.leftovers = leftover_partials(target.destination, COPY_RUN)
        """Partials a killed copy of this tool left: copied again, not conflicts."""
        self._listings: dict[str, dict[str, os.stat_result]] = {}

    def rows(self, files: list[SourceFile]) -> Iterator[PlannedFile]:
        for found in files:
            destination = self.target.destination / found.relative
            action, hashes, error = (
                ("refused", {}, found.refused) if found.refused is not None
                else self.decide(found.key, found.size, found.mtime_ns, str(destination)))
            # Built from checked parts: skipping validation keeps 100,000 rows fast and small.
            yield PlannedFile.from_checked(
                source=found.path, relative=found.relative, destination=destination,
                size=found.size, mtime_ns=found.mtime_ns, device=found.device,
                inode=found.inode, ctime_ns=found.ctime_ns, action=action, role=self.target.role,
                hashes=hashes, error=error,
            )

    def decide(self, key: str, size: int, mtime_ns: int, destination: str) -> tuple[
            PlanAction, dict[str, str], Conflict | None]:
        """What to do with the source file of `size` and `mtime_ns` that lands at `key` (its
        relative path as the manifests spell it), `destination`, given what is there now."""
        parent, _, name = key.rpartition("/")
        listing = self._listing(parent)
        if name + PARTIAL_SUFFIX in listing and key not in self.leftovers:
            detail = f"an interrupted copy left {name}{PARTIAL_SUFFIX}; remove it first"
            return "conflict", {}, Conflict(path=destination, detail=detail)
        there = listing.get(name)
        if there is None:
            return "copy", {}, None
        if not stat.S_ISREG(there.st_mode):
            return "conflict", {}, Conflict(path=destination, detail="it is not a file")
        if there.st_size != size:
            detail = f"{there.st_size} bytes there, {size} in the source"
            return "conflict", {}, Conflict(path=destination, detail=detail)
        recorded: dict[str, str] = {
            alg: m[key] for alg, m in self.manifests.items() if key in m
        }
        if key not in self.identities:  # never completely recorded: no record vouches for it
            return "recheck", {}, None
        if (len(recorded) == len(self.algorithms) and there.st_mtime_ns == mtime_ns
                and self.identities[key] == identity_of(there)):
            return "skip", recorded, None  # verified, and the very same file since
        return "recheck", recorded, None

    def _listing(self, relative: str) -> dict[str, os.stat_result]:
        """Names and stats of one destination folder (empty if it does not exist)."""
        if relative not in self._listings:
            listing: dict[str, os.stat_result] = {}
            try:
                with os.scandir(self.target.destination / relative) as entries:
                    for entry in entries:
                        listing[entry.name] = entry.stat(follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):
                pass
            except OSError as exc:
                path = str(self.target.destination / relative)
                raise ProcessingError(payload_from_os_error(exc, path, "list")) from exc
            self._listings[relative] = listing
        return self._listings[relative]

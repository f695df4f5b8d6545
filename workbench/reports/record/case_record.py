"""Read a case folder's evidence record back: case data, custody log, runs, manifests, history.

This is what the printable case report is made from; it only reads, and it reads what the
engine wrote (`_evidence/manifest.<algo>`, `_evidence/runs/*_copy.json`,
`_evidence/custody.jsonl`) and the ASC MHL chain.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, ClassVar, NamedTuple

from pydantic import ValidationError as PydanticValidationError

from workbench.cases import CaseData
from workbench.errors import (
    CorruptFile,
    EvidenceError,
    NotACaseFolder,
    PathNotFound,
    ReportError,
    WorkbenchError,
)
from workbench.errors import payload_from_os_error as os_payload
from workbench.evidence.custody import CopyEntry, CustodyEntry, read_custody
from workbench.evidence.layout import CUSTODY_LOG, RUNS_DIR, evidence_dir
from workbench.evidence.manifest import parse_lines
from workbench.evidence.mhl import MhlGeneration, read_chain
from workbench.evidence.types import CopyRow
from workbench.model import Contract

FAILED_STATUSES = frozenset({"mismatch", "error", "cancelled", "missing", "modified", "extra"})
"""Row statuses a report highlights as failures."""


class ManifestInfo(Contract):
    """One manifest file of the evidence record and the SHA-256 that binds a report to it."""

    error_class: ClassVar = ReportError

    name: str
    """File name, e.g. `manifest.blake3`."""
    algorithm: str
    """The digest it lists."""
    sha256: str
    """SHA-256 of the manifest file's bytes (`sha256sum _evidence/manifest.blake3`)."""
    digests: dict[str, str]
    """Relative path → hex digest."""


class LatestRuns(NamedTuple):
    """What the copy runs say of each file, their latest row winning: its status, and the
    error text of a row that has one (a few strings a file, never a row model per file)."""

    statuses: dict[str, str]
    """Relative path → status of its latest run row."""
    errors: dict[str, str]
    """Relative path → `type: description` of its latest run row's error, if it has one."""


class FolderInfo(Contract):
    """One folder of the case tree with what it holds (recursively)."""

    error_class: ClassVar = ReportError

    path: PurePosixPath
    """Folder path relative to the case folder (`.` for the case folder)."""
    files: int
    """Recorded files inside it, at any depth."""
    size: int
    """Their bytes."""


class CaseRecord(Contract):
    """Everything a case folder's evidence record says, read back."""

    error_class: ClassVar = ReportError

    case_dir: Path
    """The case folder."""
    case: CaseData | None
    """Case data of the latest copy (None if the custody log holds none)."""
    custody: list[CustodyEntry]
    """Custody log entries (one typed line each), oldest first."""
    runs: LatestRuns
    """The latest run row of each file, from every copy run (oldest first, later ones win)."""
    manifests: list[ManifestInfo]
    """Every manifest, blake3 first."""
    history: list[MhlGeneration]
    """ASC MHL generations with whether each is intact."""

    @property
    def fingerprint(self) -> ManifestInfo | None:
        """The manifest whose SHA-256 identifies the record (blake3's, else the first)."""
        return self.manifests[0] if self.manifests else None

    def paths(self) -> list[str]:
        """Every recorded file (manifest or run row), sorted."""
        paths = {path for info in self.manifests for path in info.digests}
        return sorted(paths.union(self.runs.statuses))

    def sizes(self, paths: Iterable[str]) -> dict[str, int | None]:
        """Current size on disk of each of `paths` (None: missing)."""
        return {path: _size(self.case_dir / path) for path in paths}


def folders(sizes: dict[str, int | None]) -> list[FolderInfo]:
    """Each folder above the files of `sizes` (path → bytes) with its recursive count and bytes."""
    totals: dict[str, list[int]] = {}
    for path, size in sizes.items():
        parts = path.split("/")[:-1]
        for depth in range(len(parts) + 1):
            total = totals.setdefault("/".join(parts[:depth]), [0, 0])
            total[0] += 1
            total[1] += size or 0
    return [
        FolderInfo(path=PurePosixPath(folder), files=files, size=size)
        for folder, (files, size) in sorted(
            totals.items(), key=lambda item: item[0].split("/") if item[0] else []
        )
    ]


def read_case_record(case_dir: Path) -> CaseRecord:
    """Read the evidence record of `case_dir`.

    Raises `ReportError`: `PathNotFound` if there is no such folder, `NotACaseFolder` if it
    has no evidence record,
    `CorruptFile` for a record file that cannot be parsed, or the OS error's payload.
    """
    folder = evidence_dir(case_dir)
    if not folder.is_dir():
        if not case_dir.is_dir():
            raise ReportError(PathNotFound(path=str(case_dir)))
        raise ReportError(NotACaseFolder(path=str(case_dir),
                                         looked_for=f"evidence record ({folder.name}/)"))
    custody = _custody(folder / CUSTODY_LOG)
    runs = LatestRuns({}, {})
    for path in sorted((folder / RUNS_DIR).glob("*_copy.json")):
        _read_run(path, runs)
    return CaseRecord.from_checked(  # read and checked already: not 100,000 entries again
        case_dir=case_dir,
        case=latest_case(custody),
        custody=custody,
        runs=runs,
        manifests=_manifests(folder),
        history=read_chain(case_dir),
    )


def latest_case(custody: Iterable[CustodyEntry]) -> CaseData | None:
    """The case data of the latest copy in the custody log that has valid case data."""
    case = None
    for entry in custody:
        if isinstance(entry, CopyEntry):
            try:
                case = CaseData.from_record(entry.case)
            except WorkbenchError:
                continue
    return case


def custody_log(case_dir: Path) -> list[CustodyEntry]:
    """The custody log of `case_dir`; empty when it has none."""
    return _custody(evidence_dir(case_dir) / CUSTODY_LOG)


def manifests_of(case_dir: Path) -> list[ManifestInfo]:
    """The manifests of `case_dir`, blake3 first; empty when it has none."""
    folder = evidence_dir(case_dir)
    return _manifests(folder) if folder.is_dir() else []


def _custody(path: Path) -> list[CustodyEntry]:
    try:
        return list(read_custody(path))
    except EvidenceError as exc:
        raise ReportError(exc.payload) from None
    except OSError as exc:
        raise ReportError(os_payload(exc, str(path), "read")) from exc


_ROW_KEYS = frozenset({"source", "relative", "destination", "status"})
"""Keys only a run report's row objects have (its meta, hashes and errors have others)."""


def _read_run(path: Path, runs: LatestRuns) -> None:
    """Fold one run report (`runs/*_copy.json`) into `runs`: each row is checked as a
    `CopyRow` and kept only as its path, status and error text as soon as it is parsed, so
    a run of 100,000 files never stands in memory as 100,000 dicts or models."""

    def row(obj: dict[str, Any]) -> dict[str, Any] | tuple[str, str, str]:
        if not obj.keys() >= _ROW_KEYS:
            return obj
        copy_row = CopyRow.model_validate(obj)
        error = copy_row.error
        return (sys.intern(copy_row.relative.as_posix()), copy_row.status,
                f"{error.type}: {error.describe()}" if error else "")

    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle, object_hook=row)
        rows = data.get("rows", [])
        if not all(isinstance(found, tuple) for found in rows):
            raise ValueError("a row is not a copy row")
    except (json.JSONDecodeError, ValueError, AttributeError, WorkbenchError,
            PydanticValidationError) as exc:
        raise ReportError(CorruptFile(path=str(path), detail=str(exc))) from None
    except OSError as exc:
        raise ReportError(os_payload(exc, str(path), "read")) from exc
    for relative, status, error in rows:
        runs.statuses[relative] = status
        if error:
            runs.errors[relative] = error
        else:
            runs.errors.pop(relative, None)


def _manifests(folder: Path) -> list[ManifestInfo]:
    infos = [_manifest(path) for path in sorted(folder.glob("manifest.*"))]
    return sorted(infos, key=lambda info: info.algorithm != "blake3")


def _manifest(path: Path) -> ManifestInfo:
    """One manifest, hashed and parsed as its lines are read (never whole in memory)."""
    fingerprint = hashlib.sha256()

    def lines(handle: BinaryIO) -> Iterator[bytes]:
        for line in handle:
            fingerprint.update(line)
            yield line

    try:
        with path.open("rb") as handle:  # one string per path, shared by every manifest
            digests = {sys.intern(name): digest
                       for name, digest in parse_lines(lines(handle), path).items()}
    except EvidenceError as exc:
        raise ReportError(exc.payload) from None
    except OSError as exc:
        raise ReportError(os_payload(exc, str(path), "read")) from exc
    return ManifestInfo.from_checked(
        name=path.name, algorithm=path.suffix.removeprefix("."),
        sha256=fingerprint.hexdigest(), digests=digests)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


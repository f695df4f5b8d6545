"""Read a case folder's evidence record back: case data, custody log, runs, manifests, history.

This is what the printable case report is made from; it only reads, and it reads what the
engine wrote (`_evidence/manifest.<algo>`, `_evidence/runs/*_copy.json`,
`_evidence/custody.jsonl`) and the ASC MHL chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import ClassVar

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
from workbench.evidence.manifest import parse as parse_manifest
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


class CopyRun(Contract):
    """One recorded copy into this case folder (`_evidence/runs/*_copy.json`)."""

    error_class: ClassVar = ReportError

    name: str
    """File name of the run report (it starts with the run's UTC start)."""
    rows: list[CopyRow]
    """What happened to each file at this destination."""


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
    runs: list[CopyRun]
    """Copy runs, oldest first."""
    manifests: list[ManifestInfo]
    """Every manifest, blake3 first."""
    history: list[MhlGeneration]
    """ASC MHL generations with whether each is intact."""

    @property
    def fingerprint(self) -> ManifestInfo | None:
        """The manifest whose SHA-256 identifies the record (blake3's, else the first)."""
        return self.manifests[0] if self.manifests else None

    def files(self) -> dict[str, list[str]]:
        """Every recorded file (manifest or run row), sorted: path → digests by manifest."""
        paths = {path for info in self.manifests for path in info.digests}
        paths |= {row.relative.as_posix() for run in self.runs for row in run.rows}
        return {
            path: [info.digests.get(path, "") for info in self.manifests] for path in sorted(paths)
        }

    def latest_rows(self) -> dict[str, CopyRow]:
        """The most recent run row of each file."""
        return {row.relative.as_posix(): row for run in self.runs for row in run.rows}

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
    return CaseRecord(
        case_dir=case_dir,
        case=latest_case(custody),
        custody=custody,
        runs=[_run(path) for path in sorted((folder / RUNS_DIR).glob("*_copy.json"))],
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


def _run(path: Path) -> CopyRun:
    try:
        data = json.loads(_read(path))
        rows = [CopyRow.model_validate(row) for row in data.get("rows", [])]
    except (json.JSONDecodeError, AttributeError, WorkbenchError, PydanticValidationError) as exc:
        raise ReportError(CorruptFile(path=str(path), detail=str(exc))) from None
    return CopyRun(name=path.name, rows=rows)


def _manifests(folder: Path) -> list[ManifestInfo]:
    infos = []
    for path in sorted(folder.glob("manifest.*")):
        data = _read(path)
        algorithm = path.suffix.removeprefix(".")
        infos.append(
            ManifestInfo(
                name=path.name, algorithm=algorithm, sha256=hashlib.sha256(data).hexdigest(),
                digests=parse_manifest(data, path),
            )
        )
    return sorted(infos, key=lambda info: info.algorithm != "blake3")


def _read(path: Path, *, missing_ok: bool = False) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return b""
        raise ReportError(PathNotFound(path=str(path))) from None
    except OSError as exc:
        raise ReportError(os_payload(exc, str(path), "read")) from exc


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


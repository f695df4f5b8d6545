"""Read a case folder's evidence record back: case data, custody log, runs, manifests, history.

This is what the printable case report is made from; it only reads, and it reads what the
engine wrote (`_evidence/manifest.<algo>`, `_evidence/runs/*_copy.json|csv`,
`_evidence/custody.jsonl`) and the ASC MHL chain.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO, ClassVar, NamedTuple, get_args

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
from workbench.evidence.types import RowStatus
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
    digests: dict[str, bytes]
    """Relative path → digest (raw bytes: half a hex string's memory at 100,000 files)."""


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


def file_status(size: int | None, status: str | None) -> str:
    """A file's status in the record: a failed copy row wins, then a file gone from disk
    (`size` None), then its latest run row's own status, else `recorded` (a manifest's)."""
    if status in FAILED_STATUSES:
        return status
    if size is None:
        return "missing"
    return status or "recorded"


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
    runs, names = LatestRuns({}, {}), dict[str, str]()
    for path in sorted((folder / RUNS_DIR).glob("*_copy.json")):
        _read_run(path, runs, names)
    return CaseRecord.from_checked(  # read and checked already: not 100,000 entries again
        case_dir=case_dir,
        case=latest_case(custody),
        custody=custody,
        runs=runs,
        manifests=_manifests(folder, names),
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
    return _manifests(folder, {}) if folder.is_dir() else []


def _custody(path: Path) -> list[CustodyEntry]:
    try:
        return list(read_custody(path))
    except EvidenceError as exc:
        raise ReportError(exc.payload) from None
    except OSError as exc:
        raise ReportError(os_payload(exc, str(path), "read")) from exc


_RUN_STATUSES = frozenset(get_args(RowStatus))


def _read_run(report: Path, runs: LatestRuns, names: dict[str, str]) -> None:
    """Fold one copy run into `runs`, from the CSV twin of its JSON report (`runs/*_copy.csv`,
    written from the same rows) read a line at a time: a run of 100,000 files is never in
    memory whole. `names` shares one string per path with the manifests."""
    table = report.with_suffix(".csv")
    try:
        with table.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                relative, status, error = row.get("relative"), row.get("status"), row.get("error")
                if not relative or not status or status not in _RUN_STATUSES or error is None:
                    raise ReportError(CorruptFile(path=str(table),
                                                  detail=f"line {line} is not a copy row"))
                name = names.setdefault(relative, relative)
                runs.statuses[name] = status
                if error:
                    runs.errors[name] = error
                else:
                    runs.errors.pop(name, None)
    except FileNotFoundError:
        raise ReportError(PathNotFound(path=str(table))) from None
    except csv.Error as exc:
        raise ReportError(CorruptFile(path=str(table), detail=str(exc))) from None
    except OSError as exc:
        raise ReportError(os_payload(exc, str(table), "read")) from exc


def _manifests(folder: Path, names: dict[str, str]) -> list[ManifestInfo]:
    infos = [_manifest(path, names) for path in sorted(folder.glob("manifest.*"))]
    return sorted(infos, key=lambda info: info.algorithm != "blake3")


def _manifest(path: Path, names: dict[str, str]) -> ManifestInfo:
    """One manifest, hashed and parsed as its lines are read (never whole in memory), its
    paths the strings of `names` (one per path for every record file)."""
    fingerprint = hashlib.sha256()

    def lines(handle: BinaryIO) -> Iterator[bytes]:
        for line in handle:
            fingerprint.update(line)
            yield line

    try:
        with path.open("rb") as handle:
            digests = {names.setdefault(name, name): bytes.fromhex(digest)
                       for name, digest in parse_lines(lines(handle), path).items()}
    except EvidenceError as exc:
        raise ReportError(exc.payload) from None
    except ValueError as exc:  # an odd number of hex digits
        raise ReportError(CorruptFile(path=str(path), detail=str(exc))) from None
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


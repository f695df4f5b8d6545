"""The audit: re-hash a case folder from disk against its blake3 manifest.

Manifest entries and files on disk are matched through dicts (linear in the number of
files); files are hashed on several threads, each read with its page cache dropped.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import blake3
import xxhash

from workbench.errors import Cancelled, NotFound, PathNotFound, ProcessingError
from workbench.events import CancelToken
from workbench.evidence.layout import RECORD_DIRS, absolute, manifest_path
from workbench.evidence.manifest import read_manifest
from workbench.evidence.progress import ProgressCallback, ProgressTracker
from workbench.evidence.record import write_audit_record
from workbench.evidence.types import AuditStatus, VerifyReport, VerifyRow
from workbench.hashing.readback import read_back
from workbench.hashing.stream import CHUNK_SIZE, Buffers, new_buffers

log = logging.getLogger(__name__)

AUDIT_WORKERS = 4
"""Files hashed at once by an audit."""
FILES_PER_TASK = 64
"""Files a thread hashes per pool task: one task per small file doubled the audit's CPU time
(bench/probes/audit_tasks.py)."""


def case_files(
    case_dir: Path, skip: frozenset[str] = RECORD_DIRS
) -> dict[str, os.stat_result]:
    """Every file of a case folder by relative POSIX path, without the top-level folders
    `skip` (its record folders, by default)."""
    found: dict[str, os.stat_result] = {}
    stack: list[tuple[str, str]] = [(str(case_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and entry.name in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False)
    return found


def verify_case(
    case_dir: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int = AUDIT_WORKERS,
) -> VerifyReport:
    """Rows ok / modified / missing / extra for every manifest entry and every unlisted file."""
    started = datetime.now(timezone.utc)
    folder = absolute(case_dir)
    if not folder.is_dir():
        raise ProcessingError(PathNotFound(path=str(folder)))
    if not manifest_path(folder, "blake3").is_file():
        raise ProcessingError(NotFound(
            kind="evidence record", id=str(manifest_path(folder, "blake3").relative_to(folder)),
            path=str(folder),
        ))
    expected = read_manifest(folder, "blake3")
    present = case_files(folder)
    digests = _Hashing(folder, present, on_progress, cancel or CancelToken(), workers).run()
    actual = {name: by_algorithm["blake3"] for name, by_algorithm in digests.items()}
    sizes = {name: info.st_size for name, info in present.items()}
    rows = audit_rows(expected, sizes, actual)
    report = VerifyReport(
        case_dir=folder, rows=rows, started=started, finished=datetime.now(timezone.utc)
    )
    failures = write_audit_record(report, {
        name: (info.st_size, info.st_mtime_ns) for name, info in present.items()
    }, digests)
    return report.model_copy(update={"record_errors": failures}) if failures else report


def audit_rows(
    expected: dict[str, str], sizes: dict[str, int], actual: dict[str, str]
) -> list[VerifyRow]:
    """The audit's rows: each manifest entry (`expected` path → blake3) against the files
    present now (`sizes`) and their blake3 read now (`actual`), then the unlisted files."""
    return [
        VerifyRow(
            path=PurePosixPath(name), algorithm="blake3", expected=digest,
            actual=actual.get(name), size=sizes.get(name),
            status=_status(digest, name in sizes, actual.get(name)),
        )
        for name, digest in sorted(expected.items())
    ] + [
        VerifyRow(path=PurePosixPath(name), status="extra", algorithm="blake3",
                  actual=actual.get(name), size=sizes[name])
        for name in sorted(sizes.keys() - expected.keys())
    ]


def _status(expected: str, present: bool, actual: str | None) -> AuditStatus:
    if not present:
        return "missing"
    return "ok" if actual == expected else "modified"


class _Hashing:
    """blake3 of every present regular file, several at a time, from disk."""

    def __init__(
        self,
        folder: Path,
        present: dict[str, os.stat_result],
        on_progress: ProgressCallback | None,
        cancel: CancelToken,
        workers: int,
    ) -> None:
        self.folder, self.cancel, self.workers = folder, cancel, workers
        self.names = [name for name, info in present.items() if _is_regular(info)]
        self.progress = ProgressTracker(
            files_total=len(self.names),
            bytes_total=sum(present[name].st_size for name in self.names),
            on_progress=on_progress,
        )
        self.sizes = {name: present[name].st_size for name in self.names}
        self._local = threading.local()

    def run(self) -> dict[str, dict[str, str]]:
        batches = [self.names[i:i + FILES_PER_TASK]
                   for i in range(0, len(self.names), FILES_PER_TASK)]
        digests: dict[str, dict[str, str] | None] = {}
        with ThreadPoolExecutor(self.workers, "wb-audit") as pool:
            for batch, results in zip(batches, pool.map(self._hash_batch, batches), strict=True):
                digests.update(zip(batch, results, strict=True))
        if self.cancel.cancelled:
            raise ProcessingError(Cancelled(detail="the audit was cancelled"))
        self.progress.finish()
        return {name: digest for name, digest in digests.items() if digest is not None}

    def _hash_batch(self, names: list[str]) -> list[dict[str, str] | None]:
        return [self._hash(name) for name in names]

    def _hash(self, name: str) -> dict[str, str] | None:
        """blake3 (checked) and xxh128 (for the ASC MHL generation) in one read."""
        if self.cancel.cancelled:
            return None
        buffers: Buffers | None = getattr(self._local, "buffers", None)
        if buffers is None:
            buffers = self._local.buffers = new_buffers()
        digest = blake3.blake3(max_threads=blake3.blake3.AUTO if self.sizes[name] > CHUNK_SIZE
                               else 1)
        standard = xxhash.xxh128()
        try:
            read_back(
                self.folder / name, buffers, [digest.update, standard.update], cancel=self.cancel,
                on_chunk=lambda n: self.progress.read(n, name),
            )
        except ProcessingError:
            return None
        except OSError:
            log.warning("could not read %s during the audit", name, exc_info=True)
            return None
        finally:
            self.progress.file_done()
        return {"blake3": str(digest.hexdigest()), "xxh128": str(standard.hexdigest())}


def _is_regular(info: os.stat_result) -> bool:
    return (info.st_mode & 0o170000) == 0o100000

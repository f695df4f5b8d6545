"""The audit: re-hash a case folder from disk against its blake3 manifest.

Manifest entries and files on disk are matched through a dict (linear in the number of
files) and kept in columns (`AuditFiles`, a few hundred bytes a file); files are hashed on
several threads, each read with its page cache dropped (or bypassed) first.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import blake3
import xxhash

from workbench.errors import Cancelled, NotFound, PathNotFound, ProcessingError
from workbench.events import CancelToken
from workbench.evidence.audit_files import AuditFiles
from workbench.evidence.layout import absolute, manifest_path
from workbench.evidence.manifest import read_manifest
from workbench.evidence.progress import ProgressCallback, ProgressTracker
from workbench.evidence.record import write_audit_record
from workbench.evidence.types import VerifyReport
from workbench.hashing.readback import open_cold, read_back
from workbench.hashing.stream import CHUNK_SIZE, Buffers, new_buffers

log = logging.getLogger(__name__)

AUDIT_WORKERS = 4
"""Files hashed at once by an audit."""
FILES_PER_TASK = 64
"""Files a thread hashes per pool task: one task per small file doubled the audit's CPU time
(bench/probes/audit_tasks.py)."""


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
    files = AuditFiles.scan(folder, read_manifest(folder, "blake3"))
    _Hashing(folder, files, on_progress, cancel or CancelToken(), workers).run()
    report = VerifyReport(
        case_dir=folder, rows=files.rows(), started=started, finished=datetime.now(timezone.utc)
    )
    failures = write_audit_record(report, files.mhl_entries())
    return report.model_copy(update={"record_errors": failures}) if failures else report


class _Hashing:
    """blake3 (checked) and xxh128 (for the ASC MHL generation) of every regular file present,
    several at a time, from disk."""

    def __init__(
        self,
        folder: Path,
        files: AuditFiles,
        on_progress: ProgressCallback | None,
        cancel: CancelToken,
        workers: int,
    ) -> None:
        self.folder, self.files, self.cancel, self.workers = folder, files, cancel, workers
        self.columns = files.regular()
        self.progress = ProgressTracker(
            files_total=len(self.columns),
            bytes_total=sum(files.sizes[i] for i in self.columns),
            on_progress=on_progress,
        )
        self._local = threading.local()

    def run(self) -> None:
        tasks = [self.columns[i:i + FILES_PER_TASK]
                 for i in range(0, len(self.columns), FILES_PER_TASK)]
        with ThreadPoolExecutor(self.workers, "wb-audit") as pool:
            list(pool.map(self._hash_task, tasks))
        if self.cancel.cancelled:
            raise ProcessingError(Cancelled(detail="the audit was cancelled"))
        self.progress.finish()

    def _hash_task(self, columns: list[int]) -> None:
        buffers: Buffers | None = getattr(self._local, "buffers", None)
        if buffers is None:
            buffers = self._local.buffers = new_buffers()
        for i in columns:
            if self.cancel.cancelled:
                return
            self._hash(i, buffers)

    def _hash(self, i: int, buffers: Buffers) -> None:
        name = self.files.names[i]
        big = self.files.sizes[i] > CHUNK_SIZE
        digest = blake3.blake3(max_threads=blake3.blake3.AUTO if big else 1)
        standard = xxhash.xxh128()
        try:
            if big:  # read the next chunk while this one is hashed
                read_back(self.folder / name, buffers, [digest.update, standard.update],
                          cancel=self.cancel, on_chunk=lambda n: self.progress.read(n, name))
            else:
                self._read_small(name, buffers[0], digest, standard)
        except ProcessingError:
            return
        except OSError:
            log.warning("could not read %s during the audit", name, exc_info=True)
            return
        finally:
            self.progress.file_done()
        self.files.read(i, str(digest.hexdigest()), standard.digest())

    def _read_small(self, name: str, buffer: memoryview, digest: blake3.blake3,
                    standard: xxhash.xxh128) -> None:
        """A file of at most one chunk, the shortest way: one read, and one that finds its end
        (a file that grew since it was listed is read whole all the same)."""
        source = open_cold(self.folder / name)
        try:
            while count := source.readinto(buffer):
                chunk = buffer[:count]
                digest.update(chunk)
                standard.update(chunk)
                self.progress.read(count, name)
        finally:
            source.close()

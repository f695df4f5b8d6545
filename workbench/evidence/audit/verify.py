"""The audit: re-hash a folder from disk against the record it carries (its own
`_evidence` manifest, or another tool's: ASC MHL history, BagIt bag, checksum lists,
hashdeep, the desktop app's CSV) or against a record named explicitly.

Record entries and files on disk are matched through dicts (linear in the number of
files); each file is read once, from disk, hashing only the algorithms its record needs.
An audit of the workbench's own record keeps its files in columns (`AuditFiles`, a few
hundred bytes a file, however many there are) and is written back into the folder (custody
line, MHL generation); a folder another tool made is read, never changed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from workbench import events
from workbench.errors import (
    Cancelled,
    EvidenceError,
    NotACaseFolder,
    PathNotFound,
    WorkbenchError,
    is_kind,
)
from workbench.events import CancelToken
from workbench.evidence.audit.crosscheck import Records, check_records, cross_check
from workbench.evidence.audit.derived import audit_derived
from workbench.evidence.audit.files import AuditFiles
from workbench.evidence.audit.foreign_rows import foreign_rows
from workbench.evidence.integrity import record_digests, render_record_digests
from workbench.evidence.layout import RECORD_DIRS, manifest_path
from workbench.evidence.manifest import read_manifest
from workbench.evidence.progress import ProgressCallback, ProgressTracker
from workbench.evidence.record import write_audit_record
from workbench.evidence.types import AuditStatus, VerifyReport, VerifyRow
from workbench.foreign import (
    RECORD_KINDS,
    RecordRef,
    RecordSet,
    apply_to,
    find_records,
    open_record,
)
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.tree import (
    WORKERS,
    FileToHash,
    TreeHasher,
    hash_files,
    is_regular,
    list_files,
)
from workbench.paths import absolute

OWN_ALGORITHMS: tuple[HashAlgorithm, ...] = ("blake3", "xxh128")
"""Read for the workbench's own record: blake3 is checked, xxh128 goes into its MHL history."""


def verify_case(
    case_dir: str | os.PathLike[str],
    *,
    against: str | os.PathLike[str] | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int = WORKERS,
) -> VerifyReport:
    """Rows ok / modified / missing / extra for every record entry and every unlisted file;
    a cancel returns an empty report whose outcome is `cancelled`."""
    started = datetime.now(timezone.utc)
    folder = absolute(case_dir)
    if not folder.is_dir():
        raise EvidenceError(PathNotFound(path=str(folder)))
    try:
        return _audit(folder, against, started, on_progress, cancel, workers)
    except WorkbenchError as exc:  # the token stopped the reads: nothing was recorded
        if not is_kind(exc, Cancelled):
            raise
        return VerifyReport(case_dir=folder, rows=[], started=started,
                            finished=datetime.now(timezone.utc), outcome="cancelled")


def _audit(folder: Path, against: str | os.PathLike[str] | None, started: datetime,
           on_progress: ProgressCallback | None, cancel: CancelToken | None,
           workers: int) -> VerifyReport:
    """The audit against the folder's own record, else the one `against` names or it carries."""
    own = manifest_path(folder, "blake3")
    if against is None and own.is_file():
        return _own_audit(folder, started, on_progress, cancel, workers)
    found = open_record(absolute(against), folder) if against is not None else (
        find_records(folder))
    if found is None:
        raise EvidenceError(NotACaseFolder(
            path=str(folder),
            looked_for=f"evidence record ({own.relative_to(folder)}) nor {RECORD_KINDS}"))
    return _foreign_audit(folder, found, started, on_progress, cancel, workers)


def _own_audit(folder: Path, started: datetime, on_progress: ProgressCallback | None,
               cancel: CancelToken | None, workers: int) -> VerifyReport:
    """Against the folder's own manifest, every record cross-checked (`crosscheck`), the
    derived files against theirs; the audit, once whole, goes into its custody log and
    history."""
    ref = RecordRef(kind="workbench", path=manifest_path(folder, "blake3"), tool="Case Workbench",
                    algorithms=["blake3"])
    try:
        manifest = read_manifest(folder, "blake3")
    except EvidenceError as exc:  # a forged or torn manifest: the audit says so, not ok
        return VerifyReport(case_dir=folder, rows=[], started=started, problems=[exc.payload],
                            finished=datetime.now(timezone.utc), records=[ref])
    ref = ref.model_copy(update={"files": len(manifest)})
    # The folder is listed first, alone: its cold stats are slowed 4x by a thread parsing
    # the history beside them. The records are then checked against each other (the
    # history parsed) while the files are read.
    files = AuditFiles.scan(folder, dict(manifest))
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-records")
    records = pool.submit(check_records, folder, manifest)
    try:
        del manifest  # its names go once the records' check is done with them
        return _own_rows(folder, files, ref, records, started, on_progress, cancel, workers)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a cancel does not wait for it


def _own_rows(folder: Path, files: AuditFiles, ref: RecordRef, records: Future[Records],
              started: datetime, on_progress: ProgressCallback | None,
              cancel: CancelToken | None, workers: int) -> VerifyReport:
    """The files read against their manifest while `records` are checked; the audit
    recorded."""
    columns = files.regular()
    progress = ProgressTracker(files_total=len(columns),
                               bytes_total=sum(files.sizes[i] for i in columns),
                               on_progress=on_progress)

    def file_of(k: int) -> FileToHash:
        name = files.names[columns[k]]
        return FileToHash(folder / name, files.sizes[columns[k]], OWN_ALGORITHMS, name)

    def store(k: int, digests: dict[str, str]) -> None:
        files.read(columns[k], digests["blake3"], bytes.fromhex(digests["xxh128"]))

    TreeHasher(len(columns), file_of, store, cancel=cancel, workers=workers,
               on_chunk=progress.read, on_file=progress.file_done).run()
    progress.finish()
    derived = audit_derived(folder, cancel)  # before the record: a cancel here records nothing
    report = VerifyReport(case_dir=folder, rows=files.rows(), started=started,
                          finished=datetime.now(timezone.utc), records=[ref],
                          problems=cross_check(records.result(), files),
                          derived=derived)
    failures = write_audit_record(report, files.mhl_entries(), metadata=lambda: (
        render_record_digests(record_digests(folder))))
    events.emit(events.CASE_RECORD_CHANGED, folder)
    return report.model_copy(update={"record_errors": failures}) if failures else report


def _foreign_audit(folder: Path, found: RecordSet, started: datetime,
                   on_progress: ProgressCallback | None, cancel: CancelToken | None,
                   workers: int) -> VerifyReport:
    """Against another tool's record: read, never written to. Rows are built in columns
    (`foreign_rows`), so a record of 10⁶ entries costs its columns, not a model per row."""
    applied = apply_to(found, folder)
    first = found.algorithms[:1] or ["blake3"]
    present = {
        name: info for name, info in list_files(folder, RECORD_DIRS).items()
        if not applied.skipped(name)
    }

    def algorithms(name: str) -> Sequence[HashAlgorithm]:
        i = applied.digests.position(name)
        listed = None if i is None else tuple(applied.digests.entries.digests[i])
        return listed or first

    wanted = {
        name: FileToHash(folder / name, info.st_size, algorithms(name), name)
        for name, info in present.items() if is_regular(info)
    }
    progress = ProgressTracker(files_total=len(wanted),
                               bytes_total=sum(file.size for file in wanted.values()),
                               on_progress=on_progress)
    digests = hash_files(wanted, cancel=cancel, workers=workers, on_chunk=progress.read,
                         on_file=progress.file_done)
    progress.finish()
    return VerifyReport(
        case_dir=folder, rows=foreign_rows(applied.digests, present, digests, first[0]),
        started=started, finished=datetime.now(timezone.utc), records=found.records,
        problems=found.problems,
    )


def audit_rows(
    expected: dict[str, str], sizes: dict[str, int], actual: dict[str, str]
) -> list[VerifyRow]:
    """The audit's rows from one blake3 manifest (`expected` path → digest), the files present
    now (`sizes`, path → bytes) and their blake3 read now (`actual`): each listed file, then
    the unlisted ones (what an export that audits in its own read reports)."""
    read = {name: {"blake3": digest} for name, digest in actual.items()}
    return [
        _row(name, {"blake3": digest}, None, sizes.get(name), read.get(name))
        for name, digest in sorted(expected.items())
    ] + [
        _extra(name, size, read.get(name), "blake3")
        for name, size in sorted(sizes.items()) if name not in expected
    ]


def _row(name: str, expected: dict[HashAlgorithm, str], size: int | None,
         present: int | None, actual: dict[str, str] | None) -> VerifyRow:
    """One listed file (`size` as the record gives it, `present` the bytes on disk now, None
    when missing): the first algorithm that does not match decides, else the first."""
    algorithm = next(iter(expected))
    status: AuditStatus = "missing" if present is None else "ok"
    if present is not None:
        wrong = [alg for alg in expected if (actual or {}).get(alg) != expected[alg]]
        if wrong or (size is not None and size != present):
            status, algorithm = "modified", (wrong or [algorithm])[0]
    return VerifyRow.model_construct(  # fields come typed from the record and the disk
        path=PurePosixPath(name), status=status, algorithm=algorithm,
        expected=expected[algorithm], actual=(actual or {}).get(algorithm), size=present,
    )


def _extra(name: str, size: int, actual: dict[str, str] | None,
           algorithm: HashAlgorithm) -> VerifyRow:
    return VerifyRow.model_construct(
        path=PurePosixPath(name), status="extra", algorithm=algorithm, expected=None,
        actual=(actual or {}).get(algorithm), size=size,
    )

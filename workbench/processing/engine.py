"""The verified copy: each source read once, every destination written from the same buffers,
synced, moved into place without clobbering, then read back from disk and compared.

Files run in batches. Within a batch, worker threads read, hash and write `.partial` files;
one `syncfs` per destination makes the batch durable (a per-file `fsync` only where that
fails), the partials are moved into place and their folders synced, and only then is each
destination dropped from the page cache and re-hashed, while the next batch is written.

A big file (`STREAM_BYTES` or more, where the platform has `regions`) is read back while it
is written: each completed region of each destination's partial is flushed, dropped and
re-hashed on that destination's own verify lane, and its fsync follows the last region; it
is still published and its folder synced with its batch before it is called verified.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import blake3

from workbench import events
from workbench.errors import (
    Cancelled,
    Conflict,
    ErrorPayload,
    HashMismatch,
    RecordMismatch,
    WorkbenchError,
    is_kind,
    payload_from_os_error,
)
from workbench.events import CancelToken, Outcome
from workbench.evidence.progress import ProgressCallback, ProgressTracker
from workbench.evidence.provenance import identity
from workbench.evidence.types import CopyRows, RowStatus
from workbench.hashing import platform, stream
from workbench.hashing.digests import digest_groups, merged_hexdigests
from workbench.hashing.partial import PartialWriter
from workbench.hashing.publish import publish_no_clobber
from workbench.hashing.readback import read_back
from workbench.hashing.stream import CHUNK_SIZE, Buffers, new_buffers
from workbench.hashing.sync import open_sync_point, sync_filesystem
from workbench.model import ModelColumns
from workbench.processing.chain import record_mismatch, unvouched
from workbench.processing.planner import refresh_plan
from workbench.processing.recording import write_copy_record
from workbench.processing.run_lock import claim_case_folders
from workbench.processing.sources import check_unchanged, open_source
from workbench.processing.types import CopyPlan, CopyReport, PlannedFile, PlannedFiles

DEFAULT_WORKERS = 4
"""Threads when neither the caller nor the preferences choose (measured on 2 vCPUs)."""
BATCH_FILES = 256
"""Files written before one batch `syncfs` and their read-backs."""
BATCH_BYTES = 512 << 20
"""Source bytes written before one batch `syncfs`."""
STREAM_BYTES = 32 << 20
"""Files this big or bigger are read back region by region while written (where the
platform can). Measured on 512 MiB of files (bench/probes/regions.py): 8 MiB files were
faster in batches (0.48 s against 0.75 s), 32 MiB files even (0.84 / 0.79 s), 64 MiB files
faster streamed (1.02 / 0.88 s)."""
SEALED_MODE = 0o444
"""Permissions of the master's verified files when the run seals them."""


@dataclass(slots=True)
class _Slot:
    """One source file at one destination."""

    index: int
    item: PlannedFile
    target: int
    writer: PartialWriter
    recheck: bool = False
    """A file already there that the record does not vouch for: read back, never written."""
    committed: bool = False
    status: RowStatus | None = None
    error: ErrorPayload | None = None

    def fail(self, status: RowStatus, error: ErrorPayload) -> None:
        self.status, self.error = status, error


@dataclass(slots=True)
class _Job:
    """One source file, read once for all of its destinations."""

    item: PlannedFile
    slots: list[_Slot]
    hashes: dict[str, str] = field(default_factory=dict)
    error: ErrorPayload | None = None
    cancelled: bool = False


class _CopyRun:
    def __init__(
        self,
        plan: CopyPlan,
        *,
        on_progress: ProgressCallback | None,
        cancel: CancelToken,
        workers: int,
        seal_master: bool,
    ) -> None:
        self.plan, self.cancel, self.workers, self.seal = plan, cancel, workers, seal_master
        self.outcomes = _Outcomes(len(plan.items))
        self.items = PlannedFiles.of_any(plan.items)
        self.row_targets = plan.row_targets()
        self.groups = self._copy_groups()
        sources, size = len(set(self.items.column("source"))), self.items.values("size")
        self.progress = ProgressTracker(
            files_total=sources,
            bytes_total=sum(size[_first(group)] for group in self.groups),
            targets=[(target.destination, target.role) for target in plan.targets],
            on_progress=on_progress,
        )
        for _ in range(sources - len(self.groups)):
            self.progress.file_done()
        self._local = threading.local()
        self.folders: set[Path] = set()
        """Destination folders made (or found) so far in this run."""
        self.lanes = ThreadPoolExecutor(
            len(digest_groups(plan.algorithms)) + len(plan.targets), "wb-lane"
        )
        self.verify_lanes = [ThreadPoolExecutor(1, f"wb-region-{i}")
                             for i in range(len(plan.targets))]
        """One per destination: its streamed regions are read back in order, on their own."""

    def _copy_groups(self) -> list[int | tuple[int, ...]]:
        """The copy rows' indices grouped by source, in plan order (a lone index stays a bare
        int: 36 bytes a file, not 100), read from the plan's columns; the other rows are final
        already. Jobs, and their rows, are made from them one batch at a time, and dropped."""
        groups: dict[str, list[int]] = {}
        names = ("action", "source", "hashes", "error")
        for index, (action, source, hashes, error) in enumerate(
                zip(*(self.items.values(name) for name in names), strict=True)):
            if action in ("copy", "recheck"):
                groups.setdefault(source, []).append(index)
            else:
                status: RowStatus = "skipped" if action == "skip" else "error"
                self.outcomes.settle(index, status, hashes or {}, error)
        return [found[0] if len(found) == 1 else tuple(found) for found in groups.values()]

    def _job(self, group: int | tuple[int, ...]) -> _Job:
        """One source's job: a slot (and a partial writer) at each of its destinations."""
        slots = []
        for index in (group,) if isinstance(group, int) else group:
            item = self.items[index]
            slots.append(_Slot(index, item, self.row_targets[index],
                               PartialWriter(item.destination), recheck=item.action == "recheck"))
        return _Job(slots[0].item, slots)

    def run(self) -> CopyReport:
        started = datetime.now(timezone.utc)
        with contextlib.ExitStack() as stack:
            for executor in (self.lanes, *self.verify_lanes):
                stack.enter_context(executor)
            pool = stack.enter_context(ThreadPoolExecutor(self.workers, "wb-copy"))
            checkers = stack.enter_context(ThreadPoolExecutor(self.workers, "wb-verify"))
            verifying: list[Future[None]] = []
            for batch in _batches(map(self._job, self.groups)):
                self._store(pool, batch)
                # Read-backs (mostly waiting on the disk) overlap the next batch's writes.
                _results(verifying)
                verifying = [checkers.submit(self._verify, job) for job in batch]
            _results(verifying)
        self.progress.finish()
        statuses = set(self.outcomes.status)
        failed = bool(statuses & {"mismatch", "error"})
        outcome: Outcome = "completed_with_errors" if failed else "completed"
        user, host, version = identity()
        return CopyReport(
            plan=self.plan,
            rows=self.outcomes.rows(self.items),
            outcome="cancelled" if "cancelled" in statuses else outcome,
            started=started,
            finished=datetime.now(timezone.utc),
            tool_version=version,
            user=user,
            host=host,
            read_back_cache_free=platform.SYSTEM.cache_free,
        )

    def _store(self, pool: ThreadPoolExecutor, batch: list[_Job]) -> None:
        """Write the batch's partials, make them durable and move them into place."""
        points = [_open_sync_point(target.root) for target in self.plan.targets]
        try:
            list(pool.map(self._write, batch))
            live = [slot for job in batch for slot in job.slots if slot.writer.ok]
            if not self.cancel.cancelled:  # streamed partials are durable already
                self._sync(pool, [slot for slot in live if slot.writer.read_back is None], points)
            for slot in live:
                slot.writer.close()
        finally:
            for fd in points:
                if fd is not None:
                    os.close(fd)
        if self.cancel.cancelled:
            for slot in live:
                slot.writer.discard()
        else:
            list(pool.map(self._commit, [slot for slot in live if slot.writer.error is None]))
            self._sync_folders(pool, [slot for slot in live if slot.committed])

    def _buffers(self) -> Buffers:
        buffers: Buffers | None = getattr(self._local, "buffers", None)
        if buffers is None:
            buffers = self._local.buffers = new_buffers()
        return buffers

    def _write(self, job: _Job) -> None:
        """Read the source once; hash it and write every destination's partial from each chunk."""
        if self.cancel.cancelled:
            job.cancelled = True
            return
        item = job.item
        try:
            fd = open_source(item)
        except WorkbenchError as exc:
            job.error = exc.payload
            return
        except OSError as exc:
            job.error = payload_from_os_error(exc, str(item.source), "read")
            return
        writers = [slot.writer for slot in job.slots if not slot.recheck]
        streamed = item.size >= STREAM_BYTES

        def wanted() -> bool:
            return any(slot.recheck or slot.writer.ok for slot in job.slots)

        try:
            for slot in job.slots:
                if not slot.recheck:
                    slot.writer.open(self.folders,
                                     self.verify_lanes[slot.target] if streamed else None)
            groups = digest_groups(self.plan.algorithms)
            current = item.relative.as_posix()
            count = stream.stream(
                fd,
                self._buffers(),
                [group.update for group in groups] + [writer.feed for writer in writers],
                lanes=self.lanes if item.size > CHUNK_SIZE else None,
                cancel=self.cancel,
                keep_going=wanted,
                on_chunk=lambda n: self.progress.read(n, current),
                limit=item.size + 1,  # one byte more than planned proves the source grew
            )
            after = os.fstat(fd)
            if not wanted():
                return
            check_unchanged(item, after, count)
            hashes = merged_hexdigests(groups)
            job.error = record_mismatch(item, hashes)
            if job.error is not None:
                return
            job.hashes = hashes
            for writer in writers:
                writer.finish(after.st_atime_ns, item.mtime_ns)
            for writer in writers:  # every destination's last region, read back in parallel
                writer.await_read_back()
        except WorkbenchError as exc:  # a file step stops with `Cancelled` on the token
            if is_kind(exc, Cancelled):
                job.cancelled = True
            else:
                job.error = exc.payload
        except OSError as exc:
            job.error = payload_from_os_error(exc, str(item.source), "read")
        finally:
            os.close(fd)
            if job.error is not None or job.cancelled:
                for writer in writers:
                    writer.discard()

    def _sync(self, pool: ThreadPoolExecutor, live: list[_Slot], points: list[int | None]
              ) -> None:
        """One `syncfs` per destination makes the batch durable; only where it fails (or is
        not available) does each file get its own `fsync`, to find the files that failed."""
        by_target: dict[int, list[_Slot]] = {}
        for slot in live:
            by_target.setdefault(slot.target, []).append(slot)
        synced = pool.map(_try_sync_filesystem, [points[target] for target in by_target])
        unsure = [
            slot for ok, slots in zip(synced, by_target.values(), strict=True) if not ok
            for slot in slots
        ]
        list(pool.map(lambda slot: slot.writer.sync(), unsure))

    def _commit(self, slot: _Slot) -> None:
        writer = slot.writer
        try:
            publish_no_clobber(writer.partial, writer.final)
            slot.committed = True
        except FileExistsError:
            writer.discard()
            slot.fail("error", Conflict(
                path=str(writer.final), detail="a file appeared there while the copy ran",
            ))
        except OSError as exc:
            writer.fail(exc, "rename")

    def _sync_folders(self, pool: ThreadPoolExecutor, committed: list[_Slot]) -> None:
        """fsync every folder that gained an entry, up to the destination root's parent."""
        folders: set[Path] = set()
        for slot in committed:
            stop = self.plan.targets[slot.target].root.parent
            folder = slot.writer.final.parent
            while folder not in folders and folder != stop and folder != folder.parent:
                folders.add(folder)
                folder = folder.parent
        list(pool.map(_try_fsync_dir, folders))

    def _verify(self, job: _Job) -> None:
        """Re-read each committed destination from disk; only a match is `verified`."""
        for slot in job.slots:
            if slot.committed and slot.writer.read_back is not None:
                self._compare(job, slot, slot.writer.read_back)
            elif slot.committed or (slot.recheck and slot.status is None and job.hashes):
                self._read_back(job, slot)
            elif slot.status is None:
                self._settle_unwritten(job, slot)
        outcomes = [(slot.target, slot.status == "verified") for slot in job.slots]
        for slot in job.slots:
            assert slot.status is not None
            self.outcomes.settle(slot.index, slot.status, job.hashes, slot.error)
        self.progress.file_done(outcomes)

    def _settle_unwritten(self, job: _Job, slot: _Slot) -> None:
        writer = slot.writer
        writer.discard()
        if job.error is not None:
            slot.fail("mismatch" if isinstance(job.error, RecordMismatch) else "error", job.error)
        elif writer.error is not None:
            path = writer.partial if writer.operation != "rename" else writer.final
            slot.fail("error", payload_from_os_error(writer.error, str(path), writer.operation))
        else:  # never written: the run was cancelled before or while this file was read
            slot.fail("cancelled", Cancelled())

    def _read_back(self, job: _Job, slot: _Slot) -> None:
        final = slot.writer.final
        digest = blake3.blake3()
        try:
            read_back(
                final, self._buffers(), [digest.update],
                lanes=self.lanes if slot.item.size > CHUNK_SIZE else None, cancel=self.cancel,
            )
        except WorkbenchError as exc:
            if is_kind(exc, Cancelled):
                slot.fail("cancelled", exc.payload)
            else:
                slot.fail("error", exc.payload)
        except OSError as exc:
            slot.fail("error", payload_from_os_error(exc, str(final), "read back"))
        else:
            self._compare(job, slot, digest.hexdigest())
            return
        if not slot.recheck:
            _remove(final)

    def _compare(self, job: _Job, slot: _Slot, actual: str) -> None:
        """`verified` when the read-back's blake3 matches the source's (and, for a file that
        was there already, the record's); else a new copy is removed, a file that was there
        is left as it is: a `HashMismatch`, or a `Conflict` when no record vouched for it."""
        final, expected = slot.writer.final, job.hashes["blake3"]
        recorded = slot.item.hashes.get("blake3", expected)
        if actual == expected == recorded:
            slot.status = "verified"
            if self.seal and self.plan.targets[slot.target].role == "master":
                _seal(slot)
            return
        if slot.recheck and "blake3" not in slot.item.hashes:
            slot.fail("error", Conflict(
                path=str(final), detail="same size, different content (blake3), not in the record",
            ))
            return
        if actual == expected:  # the file is the source's bytes, the record says otherwise
            expected, actual = recorded, expected
        slot.fail("mismatch", HashMismatch(
            file=str(final), algorithm="blake3", expected=expected, actual=actual,
        ))
        if not slot.recheck:
            _remove(final)


def _remove(final: Path) -> None:
    with contextlib.suppress(OSError):
        final.unlink()  # a copy that is not verified is removed, so a re-run copies again


def _first(group: int | tuple[int, ...]) -> int:
    return group if isinstance(group, int) else group[0]


def _seal(slot: _Slot) -> None:
    try:
        slot.writer.final.chmod(SEALED_MODE)
    except OSError as exc:
        slot.fail("error", payload_from_os_error(exc, str(slot.writer.final), "seal"))


def _results(futures: list[Future[None]]) -> None:
    for future in futures:
        future.result()


def _open_sync_point(root: Path) -> int | None:
    try:
        return open_sync_point(root)
    except OSError:
        return None  # then every file of the batch is fsynced on its own


def _try_sync_filesystem(fd: int | None) -> bool:
    if fd is None:
        return False
    try:
        sync_filesystem(fd)
    except OSError:
        return False
    return True


def _try_fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # folders that vanished fail their files' read-back
        platform.SYSTEM.fsync_dir(folder)


class _Outcomes:
    """What happened to each planned row: its status, the source's digests, its error (three
    columns; the report's rows take the rest from the plan, so 100,000 rows stay small)."""

    __slots__ = ("errors", "hashes", "status")

    def __init__(self, count: int) -> None:
        self.status: list[RowStatus | None] = [None] * count
        self.hashes: list[dict[str, str]] = [{}] * count  # replaced, never changed in place
        self.errors: list[ErrorPayload | None] = [None] * count

    def settle(self, index: int, status: RowStatus, hashes: dict[str, str],
               error: ErrorPayload | None) -> None:
        self.status[index], self.hashes[index], self.errors[index] = status, hashes, error

    def rows(self, items: ModelColumns[PlannedFile]) -> CopyRows:
        """The report's rows, in plan order (every row settled): the plan's own columns."""
        return CopyRows({
            **{name: items.column(name) for name in ("source", "relative", "destination",
                                                      "role", "size")},
            "status": self.status, "hashes": self.hashes, "error": self.errors,
        })


def _batches(jobs: Iterable[_Job]) -> Iterator[list[_Job]]:
    batch: list[_Job] = []
    size = 0
    for job in jobs:
        batch.append(job)
        size += job.item.size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def run_copy_plan(
    plan: CopyPlan,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int = DEFAULT_WORKERS,
    seal_master: bool = False,
) -> CopyReport:
    """Run `plan` (its `copy` rows re-checked against the destinations first, so a second
    run skips what is verified), write each destination's evidence record, emit
    `processing:finished`."""
    with claim_case_folders(plan):  # clears what a killed copy left; raises if one runs
        report = _CopyRun(
            refresh_plan(plan), on_progress=on_progress, cancel=cancel or CancelToken(),
            workers=workers, seal_master=seal_master,
        ).run()
        failures = write_copy_record(report)
    if failures or unvouched(report.plan):
        outcome = "completed_with_errors" if report.outcome == "completed" else report.outcome
        report = report.model_copy(update={"record_errors": failures, "outcome": outcome})
    events.emit(events.PROCESSING_FINISHED, report)
    return report

"""The verified ZIP of a case folder, for disclosure.

One pass reads every evidence file once: it goes into the archive and is audited against the
case manifest in the same read (blake3). The audit is recorded, the export's run record is
written, then the record folders are packaged too, so the archive carries both. The archive
is a `.partial` until it has been synced, read back from disk with its cache dropped and
found to hold exactly what was written (`archive.check`; where the platform allows, each region
is read back while the next ones are written, as a copy's are); only then is it moved to its name,
never over a file, and called verified. Whatever fails or is cancelled leaves no archive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from workbench.errors import ErrorPayload, ExportError, payload_from_os_error
from workbench.events import CancelToken
from workbench.evidence.audit import audit_rows
from workbench.evidence.progress import ProgressCallback, ProgressTracker
from workbench.evidence.types import VerifyRow
from workbench.exports import recording
from workbench.exports.archive.check import Expected, StreamedCheck, check_archive
from workbench.exports.archive.writer import Archive, WrittenMember
from workbench.exports.package import CaseReport, Target, refuse_problems
from workbench.exports.source import SourceFile
from workbench.exports.types import ExportMember, ExportReport
from workbench.hashing.partial import PartialWriter
from workbench.hashing.publish import publish_no_clobber
from workbench.hashing.stream import new_buffers

LANES = 3
"""Threads beside the caller's: a chunk's digests, its CRC-32 and its write run while the
next one is read."""


@dataclass
class _Packed:
    """Everything written into the archive, with the audit made on the way."""

    members: list[WrittenMember[SourceFile]]
    rows: list[VerifyRow]
    run_record: str
    record_errors: list[ErrorPayload]


class ZipExport:
    """One ZIP export of `source` to `target` (see the module)."""

    def __init__(self, target: Target, *, allow_failed: bool,
                 on_progress: ProgressCallback | None, cancel: CancelToken,
                 report: CaseReport) -> None:
        self.source, self.target, self.allow_failed = target.source, target, allow_failed
        self.report = report
        self.cancel = cancel
        evidence = self.source.evidence
        self.progress = ProgressTracker(
            files_total=len(evidence), bytes_total=2 * sum(item.size for item in evidence),
            on_progress=on_progress,
        )
        """Each evidence byte counts twice (written, read back); a file is done once
        verified."""
        self.started = datetime.now(timezone.utc)
        self.buffers = new_buffers()
        self.writer = PartialWriter(target.path)
        self.evidence = {self.source.package_name(item.relative) for item in evidence}
        self.streamed = StreamedCheck(self.writer.partial, self._read_back, self._verified)
        """The check of the archive read back while it is written (where the platform
        reads regions back; else `check_archive` reads it back once it is complete)."""

    def _read_back(self, name: str, count: int) -> None:
        if name in self.evidence:
            self.progress.read(count, f"verifying {name}")

    def _verified(self, name: str) -> None:
        if name in self.evidence:
            self.progress.file_done()

    def run(self) -> ExportReport:
        self.report.start()  # the evidence was listed without the record
        with ThreadPoolExecutor(LANES, "wb-export") as lanes, ThreadPoolExecutor(
                1, "wb-export-read-back") as read_back, ThreadPoolExecutor(
                len(self.streamed.sinks), "wb-export-check") as check_lanes:
            self.writer.open(set(), read_back, self.streamed.sinks, check_lanes)
            if self.writer.error is not None:
                raise self.target.partial_error(self.writer.error)
            return self._run(lanes)

    def _run(self, lanes: ThreadPoolExecutor) -> ExportReport:
        try:
            packed = self._pack(lanes)
            checked = self._check(lanes, packed.members)
            publish_no_clobber(self.writer.partial, self.target.path)
            self.target.sync_folder()
        except FileExistsError:
            self.writer.discard()
            raise self.target.taken() from None
        except BaseException:
            self.writer.discard()
            raise
        return self._finish(packed, checked)

    def _pack(self, lanes: ThreadPoolExecutor) -> _Packed:
        archive = Archive(self.writer)
        try:
            members = [self._write(archive, item, lanes, counted=True)
                       for item in self.source.evidence]
            digests = {member.source.relative: member.digests for member in members}
            rows = audit_rows(self.source.expected, self.source.sizes,
                              {name: found["blake3"] for name, found in digests.items()})
            self.report.current()  # written while the evidence was read
            _, record_errors = recording.record_audit(self.source, rows, self.started, digests)
            refuse_problems(self.source, rows, self.allow_failed)
            run_record, _ = recording.write_run_record(
                self.source, self.started, "zip", {
                    "path": str(self.target.path), "name_from": self.target.origin,
                    **recording.audit_meta(rows),
                    "members": [{"name": m.name, "size": m.source.size, **m.digests,
                                 "crc32": m.crc32} for m in members],
                })
            members += [self._write(archive, item, lanes, counted=False)
                        for item in self.target.checked(self.source.record_files())]
            archive.close()
        except OSError as exc:  # abandoned: the partial is discarded, never finished
            raise ExportError(payload_from_os_error(
                self.writer.error or exc, str(self.writer.partial), "write")) from exc
        if self.writer.check is not None:
            now = time.time_ns()
            self.writer.finish(now, now)  # the last region and the fsync are read back too
            self.writer.await_read_back()
        else:
            self.writer.sync()
        if self.writer.error is not None:
            raise ExportError(payload_from_os_error(self.writer.error, str(self.writer.partial),
                                                    self.writer.operation))
        self.writer.close()
        return _Packed(members, rows, run_record, record_errors)

    def _write(self, archive: Archive, item: SourceFile, lanes: ThreadPoolExecutor,
               *, counted: bool) -> WrittenMember[SourceFile]:
        name = self.source.package_name(item.relative)
        on_chunk: Callable[[int], None] = (
            (lambda n: self.progress.read(n, name)) if counted else (lambda n: None))
        try:
            return archive.add(
                item, name, self.buffers, lanes=lanes, cancel=self.cancel,
                on_chunk=on_chunk,
                on_open=lambda info: self.streamed.expect(info, name, item.size))
        except OSError as exc:
            if self.writer.error is not None:
                raise
            raise ExportError(payload_from_os_error(exc, str(item.path), "read")) from exc

    def _check(self, lanes: ThreadPoolExecutor, members: list[WrittenMember[SourceFile]]
               ) -> dict[str, dict[str, str]]:
        expected = [
            Expected(member.name, member.source.size, member.crc32, self._blake3(member))
            for member in members
        ]
        try:
            if self.writer.read_back is not None:
                check = self.streamed.finish(expected, self.writer.read_back)
            else:
                check = check_archive(self.writer.partial, expected, self.buffers, lanes=lanes,
                                      cancel=self.cancel, on_data=self._read_back,
                                      on_member=self._verified)
        except OSError as exc:
            raise ExportError(payload_from_os_error(exc, str(self.writer.partial), "read back")
                              ) from exc
        return {"digests": check.digests, "crc32": check.crc32, "blake3": check.blake3}

    def _blake3(self, member: WrittenMember[SourceFile]) -> str:
        """The blake3 a member must have: the manifest's, for evidence the audit found ok."""
        listed = self.source.expected.get(member.source.relative)
        read = member.digests["blake3"]
        return listed if member.source.kind == "evidence" and listed == read else read

    def _finish(self, packed: _Packed, checked: dict[str, dict[str, str]]) -> ExportReport:
        path = self.target.path
        digests = checked["digests"]
        record_errors = list(packed.record_errors)
        sidecars: list[Path] = []
        try:
            sidecars = recording.write_sidecars(path, digests)
        except OSError as exc:
            record_errors.append(payload_from_os_error(exc, str(exc.filename or path),
                                                       "write the checksum file"))
        status = {row.path.as_posix(): row.status for row in packed.rows}
        members = [
            ExportMember(
                name=member.name, relative=member.source.relative, kind=member.source.kind,
                size=member.source.size, blake3=checked["blake3"][member.name],
                crc32=checked["crc32"][member.name],
                audit=status.get(member.source.relative, "record"), verified=True,
            )
            for member in packed.members
        ]
        size = path.stat().st_size
        problems = [row for row in packed.rows if row.status != "ok"]
        record_errors += recording.log_export(self.source, {
            "format": "zip", "path": str(path), "size": size, **digests,
            "sidecars": [str(p) for p in sidecars], "started": self.started.isoformat(),
            "members": len(members), "report": packed.run_record,
            "outcome": "completed_with_audit_problems" if problems else "completed",
            "verified": True,
        })
        self.progress.finish()
        return ExportReport(
            format="zip", case_dir=self.source.case_dir, path=path, size=size,
            digests=digests, digest_of=path.name, sidecars=sidecars, verified=True,
            members=members, audit_problems=problems, record=packed.run_record,
            started=self.started, finished=datetime.now(timezone.utc),
            record_errors=record_errors,
        )


"""The BagIt bag (RFC 8493) of a case folder, for a digital-evidence archive.

A new bag folder is made beside the evidence, never around it: the verified-copy engine
copies the case folder, record and all, to `data/<case folder>/` (one read per file,
written, synced, read back from disk with its cache dropped) and computes sha256 and
sha512 in that same read; its own record of the copy lands in `data/_evidence` and
`data/ascmhl`, so `data/` is itself a case folder `verify_case` can check. The evidence
files go first, while the case's report is brought up to date; the copy's blake3 of them is
the audit against the case manifest, recorded before a second copy run takes the record
folders as they are then (report, audit and all). Then come the manifests, `bagit.txt`,
`bag-info.txt` from the case, the export's record and the tag manifests, each written
durably and read back. A bag that fails or is cancelled is removed whole.

Paths in the manifests escape CR and LF as `%0D` / `%0A`, as bagit-python reads them (it
does not decode `%25`, so a `%` is written as it is).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from datetime import date, datetime, timezone
from pathlib import PurePosixPath

import bagit
import blake3

from workbench.atomic import write_atomic
from workbench.errors import (
    Cancelled,
    CorruptFile,
    ErrorPayload,
    ExportError,
    HashMismatch,
    payload_from_os_error,
)
from workbench.events import CancelToken
from workbench.evidence.audit import audit_rows
from workbench.evidence.layout import EVIDENCE_DIR, LOCKS, RECORD_DIRS
from workbench.evidence.progress import ProgressCallback
from workbench.evidence.types import VerifyRow, human_size
from workbench.exports import recording
from workbench.exports.package import CaseReport, Target, refuse_problems
from workbench.exports.types import ExportMember, ExportReport, MemberKind
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.digests import MultiDigest
from workbench.hashing.readback import read_back
from workbench.hashing.stream import new_buffers
from workbench.hashing.tree import list_files
from workbench.preferences import load_preferences
from workbench.processing import CopyReport, plan_copy, run_copy
from workbench.processing.types import PlannedFiles
from workbench.templates.types import Template, TemplateLevel
from workbench.version import __version__

PAYLOAD_DIR = "data"
"""The payload folder of every bag."""
PAYLOAD_TEMPLATE = Template(id="bagit-payload", name="BagIt payload",
                            levels=[TemplateLevel(pattern=PAYLOAD_DIR)])
"""Makes the copy's case folder the bag's `data/`."""
MANIFEST_ALGORITHMS: tuple[HashAlgorithm, ...] = ("sha256", "sha512")
"""The bag's payload and tag manifests."""
COPY_ALGORITHMS: list[HashAlgorithm] = ["blake3", "xxh128", *MANIFEST_ALGORITHMS]
"""Digests of the copy's one read: blake3 (verified, audited), xxh128 (ASC MHL), manifests."""
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
RECORD_NAME = "export-record.json"
"""The export's run record, as a tag file of the bag."""


def _case_path(relative: PurePosixPath) -> str:
    """A payload file's path in the case folder (its path in `data/` less the folder's name)."""
    return PurePosixPath(*relative.parts[1:]).as_posix()


def _in_record(relative: PurePosixPath) -> bool:
    """Whether a payload file is in the case's record folders."""
    return relative.parts[1] in RECORD_DIRS


def _is_lock(relative: PurePosixPath) -> bool:
    """Whether a payload file is one of the record's locks (machinery an export leaves out)."""
    return relative.parts[1:-1] == (EVIDENCE_DIR,) and relative.name in LOCKS


def _escaped(path: str) -> str:
    return path.replace("\r", "%0D").replace("\n", "%0A")


def _single_line(text: str) -> str:
    return " ".join(text.split())


class BagExport:
    """One BagIt export of a case folder to `target` (see the module)."""

    def __init__(self, target: Target, *, allow_failed: bool,
                 on_progress: ProgressCallback | None, cancel: CancelToken,
                 report: CaseReport) -> None:
        self.source, self.target, self.allow_failed = target.source, target, allow_failed
        self.report = report
        self.on_progress, self.cancel = on_progress, cancel
        self.started = datetime.now(timezone.utc)
        self.payload: dict[str, dict[str, str]] = {}
        """Bag path (`data/...`) → digests of every payload file."""
        self.sizes: dict[str, int] = {}

    def run(self) -> ExportReport:
        try:
            self.target.path.mkdir()
        except FileExistsError:
            raise self.target.taken() from None
        except OSError as exc:
            raise ExportError(payload_from_os_error(exc, str(self.target.path), "create")
                              ) from exc
        try:
            return self._build()
        except BaseException:
            shutil.rmtree(self.target.path, ignore_errors=True)
            raise

    def _build(self) -> ExportReport:
        members, rows, record_errors = self._audit(self._copy(record=False))
        self.report.current()  # written while the evidence was copied
        members += self._members(self._copy(record=True), {})
        members += self._copy_record()
        run_record, record_bytes = recording.write_run_record(
            self.source, self.started, "bagit", {
                "path": str(self.target.path), "name_from": self.target.origin,
                **recording.audit_meta(rows), "payload_oxum": self._oxum(),
            })
        tags = self._tag_files(record_bytes, rows)
        self._check_tags(tags)
        try:
            bagit.Bag(str(self.target.path)).validate(completeness_only=True)
        except bagit.BagError as exc:
            raise ExportError(CorruptFile(path=str(self.target.path), detail=str(exc))
                              ) from None
        return self._report(members, rows, run_record, record_errors, tags)

    def _copy(self, *, record: bool) -> CopyReport:
        """Copy the case's evidence files, or (`record`) its record folders as they are now."""
        plan = plan_copy([self.source.case_dir], self.source.case, PAYLOAD_TEMPLATE,
                         self.target.path, algorithms=COPY_ALGORITHMS,
                         source_records=False)  # audited against the manifest on its own
        self.report.start()  # once the record was listed: its temporary files come and go
        part = plan.model_copy(update={"items": PlannedFiles.of(
            item for item in plan.items
            if _in_record(item.relative) == record and not _is_lock(item.relative))})
        report = run_copy(part, on_progress=None if record else self.on_progress,
                          cancel=self.cancel,
                          case_report=False)  # the bag's payload is listed as it is written
        if report.outcome == "cancelled":
            raise ExportError(Cancelled(detail="the export was cancelled"))
        failed = [row for row in report.rows if row.status not in ("verified", "skipped")]
        if failed and failed[0].error is not None:
            raise ExportError(failed[0].error)
        if report.record_errors:
            raise ExportError(report.record_errors[0])
        return report

    def _audit(self, copy: CopyReport) -> tuple[list[ExportMember], list[VerifyRow],
                                                 list[ErrorPayload]]:
        """The copy's blake3 of each evidence file against the case manifest, recorded."""
        evidence = {_case_path(row.relative): row for row in copy.rows}
        rows = audit_rows(self.source.expected,
                          {name: row.size for name, row in evidence.items()},
                          {name: row.hashes["blake3"] for name, row in evidence.items()})
        _, record_errors = recording.record_audit(
            self.source, rows, self.started,
            {name: row.hashes for name, row in evidence.items()})
        refuse_problems(self.source, rows, self.allow_failed)
        status = {row.path.as_posix(): row.status for row in rows}
        return self._members(copy, status), rows, record_errors

    def _members(self, copy: CopyReport, audit: Mapping[str, str]) -> list[ExportMember]:
        """The copied files as bag members (evidence with its `audit` status, else record)."""
        members = []
        for row in copy.rows:
            name, bag_name = _case_path(row.relative), f"{PAYLOAD_DIR}/{row.relative.as_posix()}"
            self.payload[bag_name], self.sizes[bag_name] = row.hashes, row.size
            kind: MemberKind = "record" if _in_record(row.relative) else "evidence"
            members.append(ExportMember(
                name=bag_name, relative=PurePosixPath(name), kind=kind, size=row.size,
                blake3=row.hashes["blake3"], sha256=row.hashes["sha256"],
                sha512=row.hashes["sha512"], audit=audit.get(name, "record"),
                verified=row.status == "verified",
            ))
        return members

    def _copy_record(self) -> list[ExportMember]:
        """The record the copy wrote in `data/`, read back from disk and hashed."""
        payload = self.target.path / PAYLOAD_DIR
        copied = {name.removeprefix(f"{PAYLOAD_DIR}/") for name in self.payload}
        buffers = new_buffers(1 << 20)
        members = []
        for name, info in sorted(list_files(payload).items()):
            if name in copied:
                continue
            digest = MultiDigest(["blake3", *MANIFEST_ALGORITHMS])
            try:
                read_back(payload / name, buffers, [digest.update], cancel=self.cancel)
            except OSError as exc:
                raise ExportError(payload_from_os_error(exc, str(payload / name), "read back")
                                  ) from exc
            hashes = digest.hexdigests()
            bag_name = f"{PAYLOAD_DIR}/{name}"
            self.payload[bag_name], self.sizes[bag_name] = hashes, info.st_size
            members.append(ExportMember(
                name=bag_name, relative=PurePosixPath(name), kind="copy-record",
                size=info.st_size, blake3=hashes["blake3"], sha256=hashes["sha256"],
                sha512=hashes["sha512"], audit="copy record", verified=True,
            ))
        return members

    def _oxum(self) -> str:
        return f"{sum(self.sizes.values())}.{len(self.sizes)}"

    def _bag_info(self, rows: list[VerifyRow]) -> bytes:
        case = self.source.case
        problems = sum(row.status != "ok" for row in rows)
        described = [part for part in (case.business, case.location) if part]
        window = " to ".join(f"{moment:%Y-%m-%d %H:%M}" for moment in
                             (case.video_start, case.video_end) if moment is not None)
        info = {
            "Source-Organization": load_preferences().source_organization,
            "Contact-Name": case.technician,
            "External-Identifier": case.occurrence,
            "External-Description": " — ".join(
                part for part in (" @ ".join(described), f"video {window}" if window else "")
                if part) or None,
            **dict([*case.exhibit_facts(), *case.recorder_facts()]),  # labelled as in the report
            "Internal-Sender-Identifier": self.source.case_dir.name,
            "Internal-Sender-Description": (
                f"Case folder audited against its manifest: {problems} problem(s), listed in "
                f"{RECORD_NAME}" if problems else "Case folder audited against its manifest: "
                "every file ok"),
            "Bagging-Date": date.today().isoformat(),
            "Bag-Software-Agent": f"Case Workbench {__version__}",
            "Payload-Oxum": self._oxum(),
            "Bag-Size": human_size(sum(self.sizes.values())),
        }
        return "".join(f"{label}: {_single_line(value)}\n" for label, value in info.items()
                       if value).encode()

    def _tag_files(self, record: bytes, rows: list[VerifyRow]) -> dict[str, bytes]:
        """Write every tag file durably; returns each one's bytes by name."""
        tags: dict[str, bytes] = {"bagit.txt": BAGIT_TXT, "bag-info.txt": self._bag_info(rows)}
        for algorithm in MANIFEST_ALGORITHMS:
            tags[f"manifest-{algorithm}.txt"] = "".join(
                f"{self.payload[name][algorithm]}  {_escaped(name)}\n"
                for name in sorted(self.payload)).encode()
        tags[RECORD_NAME] = record
        for algorithm in MANIFEST_ALGORITHMS:
            tags[f"tagmanifest-{algorithm}.txt"] = "".join(
                f"{hashlib.new(algorithm, data).hexdigest()}  {name}\n"
                for name, data in sorted(tags.items()) if not name.startswith("tagmanifest-")
            ).encode()
        for name, data in tags.items():
            try:
                write_atomic(self.target.path / name, data)
            except OSError as exc:
                raise ExportError(payload_from_os_error(exc, str(self.target.path / name),
                                                        "write")) from exc
        return tags

    def _check_tags(self, tags: dict[str, bytes]) -> None:
        """Read every tag file back from disk: it must hold the bytes written."""
        buffers = new_buffers(1 << 20)
        for name, data in tags.items():
            digest = blake3.blake3()
            read_back(self.target.path / name, buffers, [digest.update], cancel=self.cancel)
            expected = str(blake3.blake3(data).hexdigest())
            if digest.hexdigest() != expected:
                raise ExportError(HashMismatch(
                    file=str(self.target.path / name), algorithm="blake3", expected=expected,
                    actual=str(digest.hexdigest())))

    def _report(self, members: list[ExportMember], rows: list[VerifyRow], run_record: str,
                record_errors: list[ErrorPayload], tags: dict[str, bytes]
                ) -> ExportReport:
        anchor = tags["tagmanifest-sha256.txt"]
        digests = {"sha256": hashlib.sha256(anchor).hexdigest(),
                   "blake3": str(blake3.blake3(anchor).hexdigest())}
        size = sum(self.sizes.values()) + sum(len(data) for data in tags.values())
        problems = [row for row in rows if row.status != "ok"]
        verified = all(member.verified for member in members)
        record_errors = record_errors + recording.log_export(self.source, {
            "format": "bagit", "path": str(self.target.path), "size": size, **digests,
            "digest_of": "tagmanifest-sha256.txt", "payload_oxum": self._oxum(),
            "started": self.started.isoformat(), "members": len(members),
            "report": run_record, "verified": verified,
            "outcome": "completed_with_audit_problems" if problems else "completed",
        })
        return ExportReport(
            format="bagit", case_dir=self.source.case_dir, path=self.target.path, size=size,
            digests=digests, digest_of="tagmanifest-sha256.txt", verified=verified,
            members=members, audit_problems=problems, record=run_record,
            started=self.started, finished=datetime.now(timezone.utc),
            record_errors=record_errors,
        )


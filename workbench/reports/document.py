"""The content of a printable report, independent of its layout (HTML or PDF).

A `ReportDocument` is a title, a fingerprint and sections of facts, tables and
pre-formatted text; builders make one from a case folder's evidence record, from a
`CopyReport` or from a `VerifyReport`, and the HTML and PDF renderers only lay it out.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from workbench.cases import CaseData, format_offset
from workbench.errors import WorkbenchError
from workbench.evidence.custody import AuditEntry, CopyEntry, CustodyEntry, ExportEntry
from workbench.evidence.mhl import MhlGeneration
from workbench.evidence.types import VerifyReport
from workbench.evidence.volumes import SourceVolume
from workbench.model import LazyRows
from workbench.processing.types import CopyReport
from workbench.reports.model import PRINTED_ROWS, Fact, ReportDocument, Section, Table
from workbench.reports.record import (
    FAILED_STATUSES,
    CaseRecord,
    LatestRuns,
    ManifestInfo,
    custody_log,
    file_status,
    folders,
    latest_case,
    manifests_of,
    read_case_record,
)


def case_document(case_dir: Path) -> ReportDocument:
    """The court-ready report of a case folder, from its evidence record."""
    record = read_case_record(case_dir)
    paths = record.paths()
    sizes = record.sizes(paths)
    latest = record.runs.statuses
    statuses = {path: file_status(sizes[path], latest.get(path)) for path in paths}
    failures = [path for path, status in statuses.items() if status in FAILED_STATUSES]
    sections = [
        _case_section(record.case),
        Section(title="Evidence record", facts=_record_facts(record, len(sizes), len(failures))),
        _sources_section(_recorded_volumes(record.custody)),
    ]
    if failures:
        sections.append(_failures_section(record.runs, failures))
    sections += [
        _custody_section(record.custody),
        _exports_section(record.custody),
        _manifest_section(record.manifests, sizes),
        _tree_section(record.case_dir.name, sizes),
        _files_section(record.manifests, paths, sizes, statuses),
        _history_section(record.history),
        _attestation_section(record.case),
    ]
    return _document(record.case, case_dir, record.fingerprint, sections)


def copy_document(report: CopyReport) -> ReportDocument:
    """The report of one copy run, with the master case folder's custody log if it has one."""
    case_dir = report.plan.destination
    summary = report.summary()
    facts = [
        Fact(label="Outcome", value=report.outcome),
        Fact(label="Started (UTC)", value=_when(report.started)),
        Fact(label="Finished (UTC)", value=_when(report.finished)),
        Fact(label="Technician", value=_named(report.plan.case.technician,
                                                    report.plan.case.badge_number) or "—"),
        Fact(label="OS account @ host", value=f"{report.user} @ {report.host}"),
        Fact(label="Tool version", value=report.tool_version),
        Fact(label="Template", value=report.plan.template_id),
        Fact(label="Algorithms", value=", ".join(report.plan.algorithms)),
        *[Fact(label="Source", value=str(source)) for source in report.plan.sources],
        *[
            Fact(label=f"Destination ({target.role})", value=str(target.destination))
            for target in report.plan.targets
        ],
        *[Fact(label=_label(key), value=str(value)) for key, value in summary.items()],
    ]
    algorithms = list(report.plan.algorithms)
    table = Table(
        columns=["File", "Role", "Size", "Status", *algorithms, "Error"],
        rows=[
            [
                row.relative.as_posix(), row.role, _bytes(row.size), row.status,
                *[row.hashes.get(name, "") for name in algorithms],
                f"{row.error.type}: {row.error.describe()}" if row.error else "",
            ]
            for row in report.rows
        ],
        failed=[row.status in FAILED_STATUSES for row in report.rows],
        mono=[0, *range(4, 4 + len(algorithms))],
        widths=[5, 2, 2, 2, *[4] * len(algorithms), 4],
    )
    sections = [
        _case_section(report.plan.case),
        Section(title="Copy run", facts=facts),
        _sources_section(report.plan.source_volumes),
        Section(title="Files", table=table),
        _custody_section(custody_log(case_dir)),
    ]
    manifests = manifests_of(case_dir)
    return _document(report.plan.case, case_dir, manifests[0] if manifests else None, sections)


def verify_document(report: VerifyReport) -> ReportDocument:
    """The report of one audit of a case folder, with its custody log."""
    custody = custody_log(report.case_dir)
    case = latest_case(custody)
    counts = Counter(row.status for row in report.rows)
    facts = [
        Fact(label="Case folder", value=str(report.case_dir)),
        Fact(label="Result", value="every file present and unmodified" if report.ok
             else "PROBLEMS FOUND"),
        Fact(label="Started (UTC)", value=_when(report.started)),
        Fact(label="Finished (UTC)", value=_when(report.finished)),
        *[Fact(label=status, value=str(counts[status])) for status in sorted(counts)],
    ]
    table = Table(
        columns=["File", "Status", "Algorithm", "Expected", "Actual", "Size"],
        rows=[
            [
                row.path.as_posix(), row.status, row.algorithm, row.expected or "",
                row.actual or "", "" if row.size is None else _bytes(row.size),
            ]
            for row in report.rows
        ],
        failed=[row.status != "ok" for row in report.rows],
        mono=[0, 3, 4],
        widths=[5, 2, 2, 5, 5, 2],
    )
    sections = [
        _case_section(case),
        Section(title="Audit", facts=facts),
        Section(title="Files", table=table),
        _custody_section(custody),
    ]
    manifests = manifests_of(report.case_dir)
    return _document(case, report.case_dir, manifests[0] if manifests else None, sections)


def _document(
    case: CaseData | None, case_dir: Path, fingerprint: ManifestInfo | None,
    sections: list[Section],
) -> ReportDocument:
    subtitle = " — ".join(
        part for part in (case and case.occurrence, case and case.business, case_dir.name) if part
    )
    return ReportDocument(
        title="Evidence intake report",
        subtitle=subtitle,
        generated=datetime.now(timezone.utc),
        fingerprint=fingerprint.sha256 if fingerprint else None,
        fingerprint_of=f"_evidence/{fingerprint.name}" if fingerprint else None,
        sections=sections,
    )


def _case_section(case: CaseData | None) -> Section:
    if case is None:
        return Section(title="Case", note="The evidence record holds no case data.")
    offset = case.dvr_offset
    facts = [
        Fact(label="Occurrence", value=case.occurrence),
        *[Fact(label=label, value=value) for label, value in case.exhibit_facts()],
        Fact(label="Business", value=case.business or "—"),
        Fact(label="Location", value=case.location or "—"),
        Fact(label="Video start (recorder clock)", value=_when(case.video_start)),
        Fact(label="Video end (recorder clock)", value=_when(case.video_end)),
        Fact(label="DVR offset", value=_offset(offset)),
        Fact(label="Video start (real time)", value=_when(case.real_start)),
        Fact(label="Video end (real time)", value=_when(case.real_end)),
        Fact(label="Technician", value=case.technician or "—"),
        Fact(label="Badge number", value=case.badge_number or "—"),
        Fact(label="Intake", value=_when(case.intake_time)),
        *[Fact(label=label, value=value) for label, value in case.recorder_facts()],
    ]
    if case.notes:
        facts.append(Fact(label="Notes", value=case.notes))
    return Section(title="Case", facts=facts)


def _attestation_section(case: CaseData | None) -> Section:
    """The statement the technician signs, with name, badge, date and a signature line."""
    name = case.technician if case and case.technician else "________________________"
    badge = case.badge_number if case and case.badge_number else "__________"
    return Section(
        title="Attestation",
        note="I attest that the files listed in this report were copied and verified as "
        "recorded above, that the evidence record in _evidence/ was made at the time, and "
        "that this report is a true account of it.",
        facts=[
            Fact(label="Name", value=name),
            Fact(label="Badge number", value=badge),
            Fact(label="Date", value="____________________ (YYYY-MM-DD)"),
            Fact(label="Signature", value="________________________________________"),
        ],
    )


def _record_facts(record: CaseRecord, files: int, failures: int) -> list[Fact]:
    copies = [entry for entry in record.custody if isinstance(entry, CopyEntry)]
    sources = dict.fromkeys(source for entry in copies for source in entry.sources)
    versions = dict.fromkeys(entry.tool_version for entry in record.custody)
    facts = [
        Fact(label="Case folder", value=str(record.case_dir)),
        Fact(label="Files recorded", value=str(files)),
        Fact(label="Failures", value=str(failures) if failures else "none"),
        Fact(label="Copy runs", value=str(len(copies))),
        Fact(label="Audits",
             value=str(sum(isinstance(entry, AuditEntry) for entry in record.custody))),
    ]
    if copies:
        facts += [
            Fact(label="First copy started (UTC)", value=_when(copies[0].started)),
            Fact(label="Last copy finished (UTC)", value=_when(copies[-1].finished)),
        ]
    facts += [Fact(label="Source", value=source) for source in sources]
    facts.append(Fact(label="Tool version(s)", value=", ".join(versions) or "—"))
    return facts


def _recorded_volumes(custody: Sequence[CustodyEntry]) -> list[SourceVolume]:
    """Every distinct source volume the copies of the custody log recorded, oldest first."""
    found: dict[SourceVolume, None] = {}
    for entry in custody:
        if not isinstance(entry, CopyEntry):
            continue
        for item in entry.source_volumes:
            with contextlib.suppress(WorkbenchError):
                found.setdefault(SourceVolume.model_validate(item), None)
    return list(found)


def _sources_section(volumes: Sequence[SourceVolume]) -> Section:
    if not volumes:
        return Section(title="Sources", note="The record does not say which volume the "
                       "sources were read from.")
    return Section(
        title="Sources",
        note="The volume each source was read from, as the operating system reported it; "
        "empty cells are facts it did not expose.",
        advisories=[volume.advisory for volume in volumes if volume.advisory],
        table=Table(
            columns=["Source", "Volume", "File system", "Access", "Label", "UUID / serial",
                     "Drive", "Size", "Removable"],
            rows=[
                [
                    str(volume.source), str(volume.mount_point), volume.file_system,
                    volume.access, volume.label,
                    " / ".join(part for part in (volume.uuid, volume.serial) if part),
                    " / ".join(part for part in (volume.drive, volume.drive_serial) if part),
                    "" if volume.total_bytes is None else _bytes(volume.total_bytes),
                    _yes_no(volume.removable),
                ]
                for volume in volumes
            ],
            mono=[0, 1, 5],
            widths=[5, 2, 2, 2, 2, 4, 3, 4, 2],
        ),
    )


def _yes_no(flag: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[flag]


def _failures_section(runs: LatestRuns, failures: Sequence[str]) -> Section:
    rows = []
    for path in failures:
        status = runs.statuses.get(path)
        if status in FAILED_STATUSES:
            rows.append([path, status, runs.errors.get(path, "")])
        else:
            rows.append([path, "missing", "recorded, but no longer in the case folder"])
    table = Table(
        columns=["File", "Status", "Error"], rows=rows, failed=[True] * len(rows), mono=[0],
        widths=[4, 1, 5],
    )
    return Section(title="Failures", table=table)


def _custody_section(custody: Sequence[CustodyEntry]) -> Section:
    if not custody:
        return Section(title="Custody log", note="No custody log in this case folder.")
    rows = [
        [
            str(number), entry.event, _when(entry.started), _when(entry.finished),
            _technician(entry), f"{entry.user} @ {entry.host}", entry.tool_version,
            _counts(entry.counts_of()), entry.outcome,
        ]
        for number, entry in enumerate(custody, start=1)
    ]
    return Section(
        title="Custody log",
        note="Every copy and audit of this case folder, from _evidence/custody.jsonl.",
        table=Table(
            columns=["#", "Event", "Started (UTC)", "Finished (UTC)", "Technician",
                     "OS account @ host", "Tool", "Files", "Outcome"],
            rows=rows,
            failed=[entry.outcome not in ("completed", "ok") for entry in custody],
            widths=[1, 2, 5, 5, 3, 4, 2, 4, 4],
        ),
    )


def _exports_section(custody: Sequence[CustodyEntry]) -> Section:
    """Every ZIP and bag made of the case folder, with the digests that identify it."""
    exports = [entry for entry in custody if isinstance(entry, ExportEntry)]
    if not exports:
        return Section(title="Exports", note="This case folder has not been exported.")
    rows = [
        [
            entry.format, _when(entry.finished), entry.path,
            "" if entry.size is None else _bytes(entry.size),
            entry.sha256 or "", entry.blake3 or "",
            entry.outcome + (f": {entry.error}" if entry.error else ""),
        ]
        for entry in exports
    ]
    return Section(
        title="Exports",
        note="Every ZIP (digests of the archive) and BagIt bag (digests of its "
        "tagmanifest-sha256.txt) made of this case folder, each read back and verified; "
        "check a ZIP with sha256sum -c <archive>.sha256, a bag with bagit.py --validate.",
        table=Table(
            columns=["Format", "Finished (UTC)", "Package", "Size", "SHA-256", "blake3",
                     "Outcome"],
            rows=rows,
            failed=[entry.outcome != "completed" for entry in exports],
            mono=[2, 4, 5],
            widths=[1, 3, 5, 2, 5, 5, 3],
        ),
    )


def _manifest_section(manifests: Sequence[ManifestInfo],
                      sizes: dict[str, int | None]) -> Section:
    return Section(
        title="Manifests",
        note="Check them with b3sum --check, sha256sum -c, md5sum -c from the case "
        "folder; the SHA-256 of each manifest binds this report to it.",
        table=Table(
            columns=["Manifest", "Entries", "Bytes", "SHA-256 of the manifest"],
            rows=[[f"_evidence/{m.name}", f"{len(m.digests):,}",
                   _bytes(sum(sizes.get(path) or 0 for path in m.digests)), m.sha256]
                  for m in manifests],
            mono=[0, 3],
            widths=[3, 1, 2, 7],
        ),
    )


def _tree_section(case_name: str, sizes: dict[str, int | None]) -> Section:
    lines = []
    for folder in folders(sizes):
        depth = len(folder.path.parts)
        name = case_name if depth == 0 else folder.path.name
        label = f"{'    ' * depth}{name}/"
        lines.append(f"{label:<48} {folder.files:>6} files {_bytes(folder.size):>12}")
    return Section(title="Folder tree", preformatted="\n".join(lines) or "(no files recorded)")


def _files_section(manifests: Sequence[ManifestInfo], paths: Sequence[str],
                   sizes: dict[str, int | None], statuses: dict[str, str]) -> Section:
    """Every file with its size, status and digests, each row made as it is laid out."""
    listings = [info.digests for info in manifests]

    def row(index: int) -> list[str]:
        path = paths[index]
        size = sizes[path]
        return [path, "—" if size is None else _bytes(size), statuses[path],
                *[digests[path].hex() if path in digests else "" for digests in listings]]

    total = sum(size or 0 for size in sizes.values())
    in_print = Section(
        title="Files",
        note=f"{len(paths):,} files, {_bytes(total)}: more than a printed report lists ("
        f"{PRINTED_ROWS:,}). The full list, with every file's size, status and digests, is in "
        "report.html and the manifests, each bound to this report by its SHA-256 (Manifests).",
    )
    return Section(
        title="Files",
        table=Table(
            columns=["File", "Size", "Status", *[info.algorithm for info in manifests]],
            rows=LazyRows(len(paths), row),
            failed=[statuses[path] in FAILED_STATUSES for path in paths],
            mono=[0, *range(3, 3 + len(manifests))],
            widths=[5, 2, 2, *[5] * len(manifests)],
        ),
        in_print=in_print,
    )


def _history_section(history: Iterable[MhlGeneration]) -> Section:
    links = list(history)
    if not links:
        return Section(title="ASC MHL history", note="No ascmhl/ history in this case folder.")
    return Section(
        title="ASC MHL history",
        note="ascmhl/ascmhl_chain.xml; check with ascmhl-debug verify on the case folder.",
        table=Table(
            columns=["#", "Generation file", "C4 ID", "Intact"],
            rows=[
                [str(link.number), link.name, link.c4, "yes" if link.intact else "NO"]
                for link in links
            ],
            failed=[not link.intact for link in links],
            mono=[1, 2],
            widths=[1, 5, 7, 1],
        ),
    )


def _when(value: datetime | str | None) -> str:
    """A time as `YYYY-MM-DD HH:MM:SS` (UTC with a `Z` when it has a zone); `—` when unknown."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            return _when(datetime.fromisoformat(value))
        except ValueError:
            return value
    if value.tzinfo is None:
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return f"{value.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}Z"


def _offset(offset: timedelta | None) -> str:
    if offset is None:
        return "not recorded (recorder time taken as real time)"
    if not offset:
        return "+00:00:00 (recorder clock is right)"
    side = "ahead of" if offset > timedelta(0) else "behind"
    return f"{format_offset(offset)} (recorder clock {side} real time)"


def _bytes(size: int) -> str:
    return f"{size:,} B"


def _technician(entry: CustodyEntry) -> str:
    return _named(entry.technician, entry.badge_number) if isinstance(entry, CopyEntry) else ""


def _named(technician: str | None, badge: str | None) -> str:
    name = technician or ""
    return f"{name} (badge {badge})".strip() if badge else name


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()

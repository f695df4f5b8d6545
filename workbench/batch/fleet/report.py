"""The fleet report: one printable HTML page for a whole evidence store's audit, laid out
by the case report's renderer (every text escaped), failures first and highlighted, bound
to its results by the SHA-256 of their JSON."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from workbench.batch.fleet.types import FleetReport, FleetRow
from workbench.reports.html import document_html
from workbench.reports.model import Fact, ReportDocument, Section, Table


def fleet_html(report: FleetReport) -> str:
    """The fleet audit as one self-contained HTML page."""
    summary = report.summary()
    failures = [row for row in report.rows if not row.ok]
    verdict = ("every case folder present and unmodified" if report.ok
               else "PROBLEMS FOUND" if report.rows else "no case folder found")
    facts = [
        Fact(label="Result", value=verdict),
        *[Fact(label="Root", value=str(root)) for root in report.roots],
        Fact(label="Scheduler", value=report.scheduler or "—"),
        Fact(label="Workers", value=str(report.workers)),
        Fact(label="Started (UTC)", value=f"{report.started:%Y-%m-%d %H:%M:%S}"),
        Fact(label="Finished (UTC)", value=f"{report.finished:%Y-%m-%d %H:%M:%S}"),
        *[Fact(label=key.replace("_", " ").capitalize(), value=str(value))
          for key, value in summary.items() if key != "ok"],
    ]
    sections = [Section(title="Fleet audit", facts=facts)]
    if failures:
        sections.append(Section(
            title="Case folders with problems",
            note="Each was audited where it is; its own custody log and MHL history hold "
                 "the audit.",
            table=_table(sorted(failures, key=lambda row: str(row.case_folder))),
        ))
    sections.append(Section(title="Every case folder", table=_table(
        sorted(report.rows, key=lambda row: (row.ok, str(row.case_folder))))))
    document = ReportDocument(
        title="Fleet audit report",
        subtitle=f"{len(report.rows)} case folder(s) under "
                 f"{', '.join(str(root) for root in report.roots)}",
        generated=datetime.now(timezone.utc),
        fingerprint=hashlib.sha256(report.model_dump_json().encode()).hexdigest(),
        fingerprint_of="the audit results (JSON)",
        sections=sections,
    )
    return document_html(document)


def _table(rows: list[FleetRow]) -> Table:
    return Table(
        columns=["Case folder", "Result", "OK", "Modified", "Missing", "Extra", "Bytes",
                 "Worker", "Problems"],
        rows=[
            [
                str(row.case_folder), "ok" if row.ok else "FAILED", str(row.ok_files),
                str(row.modified), str(row.missing), str(row.extra), f"{row.bytes_checked:,}",
                row.worker or "", row.error_text() or row.problem_text(),
            ]
            for row in rows
        ],
        failed=[not row.ok for row in rows],
        mono=[0, 8],
        widths=[6, 2, 1, 1, 1, 1, 2, 3, 6],
    )

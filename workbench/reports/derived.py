"""The printable report's section of derived files: every playable copy and timeline video made
of the case folder, each with its digest and the master(s) it came from, from the custody log."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.evidence.custody import CustodyEntry, DerivedEntry
from workbench.reports.model import ReportDocument, Section, Table

DERIVED_NOTE = (
    "Files derived from the evidence, kept in the case folder's derived/ folder (or where the "
    "run was told), never in the evidence manifests; check them with "
    "`b3sum --check manifest.blake3` in that folder. Playable copies are stream copies proven "
    "packet for packet against their master (lossless_verified) or copies of what a damaged "
    "master holds (partial); timeline videos are re-encoded presentation aids, not evidence.")


def with_derived(document: ReportDocument, custody: Sequence[CustodyEntry]) -> ReportDocument:
    """`document` (a case report) with the derived-files section after its exports (at the
    end when it has none)."""
    section = derived_section(custody)
    sections = list(document.sections)
    after = next((i + 1 for i, s in enumerate(sections) if s.title == "Exports"), len(sections))
    sections.insert(after, section)
    return document.model_copy(update={"sections": sections})


def derived_section(custody: Sequence[CustodyEntry]) -> Section:
    """One row per derived file, from the custody log's `derived` entries."""
    runs = [entry for entry in custody if isinstance(entry, DerivedEntry)]
    if not runs:
        return Section(title="Derived files", note="No playable copies or timeline videos have "
                       "been made of this case folder.")
    rows, failed = [], []
    for run in runs:
        for output in run.outputs:
            sources = "; ".join(f"{s.get('path')} (blake3 {s.get('blake3') or 'unknown'})"
                                for s in output.get("sources") or [])
            status = str(output.get("status") or run.outcome)
            rows.append([
                run.kind, run.finished[:19].replace("T", " "),
                str(output.get("path") or "—"), status, str(output.get("blake3") or ""), sources,
                str(output.get("error") or ""),
            ])
            failed.append(status not in ("lossless_verified", "completed"))
    return Section(
        title="Derived files", note=DERIVED_NOTE,
        table=Table(columns=["Kind", "Made (UTC)", "File", "Status", "blake3", "From (master)",
                             "Problem"],
                    rows=rows, failed=failed, mono=[2, 4, 5], widths=[2, 3, 5, 3, 5, 6, 4]),
    )


__all__ = ["derived_section", "with_derived"]

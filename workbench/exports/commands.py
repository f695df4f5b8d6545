"""Export commands: package a case folder as a verified ZIP or a BagIt bag. Thin."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbench import events
from workbench.errors import ExportError, FieldProblem, ValidationError
from workbench.events import CancelToken
from workbench.evidence.progress import ProgressCallback
from workbench.exports import exporter
from workbench.exports.package import CaseReport
from workbench.exports.types import EXPORT_FORMATS, ExportFormat, ExportReport

__all__ = ["export_case"]


def export_case(
    case_dir: str | os.PathLike[str],
    format: ExportFormat,
    out_dir: str | os.PathLike[str],
    *,
    allow_failed: bool = False,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ExportReport:
    """Package the case folder `case_dir` into `out_dir` and verify the package from disk.

    `zip`: a stored zip64 archive named by the case template's archive name, with checksum
    sidecars; `bagit`: a new RFC 8493 bag folder written by the verified-copy engine. The
    case folder is audited in the same read; a folder whose audit finds problems is refused
    (`AuditFailed` naming the files) unless `allow_failed`, which exports it with the
    problems in its record. Progress comes as copy `ProgressEvent`s; `cancel` stops within
    one chunk, leaves no package and returns the report with outcome `cancelled`. Raises
`ExportError` with the typed payload.
    """
    if format not in EXPORT_FORMATS:
        raise ExportError(ValidationError.of([FieldProblem(
            field="format", message=f"must be one of {', '.join(EXPORT_FORMATS)}")],
            actual=str(format)))
    if cancel is not None and not isinstance(cancel, CancelToken):
        raise ExportError(ValidationError.of([FieldProblem(
            field="cancel", message="must be a CancelToken")], actual=type(cancel).__name__))
    folder = Path(case_dir)
    try:
        # The package holds the report up to date: it is written while the evidence is
        # read, and the export waits for it before it adds to the record.
        with ThreadPoolExecutor(1, "wb-export-report") as pool:
            return exporter.export_case(case_dir, format, out_dir, allow_failed=allow_failed,
                                        on_progress=on_progress, cancel=cancel,
                                        report=CaseReport(folder, pool))
    finally:  # the case folder's report lists the export, or its failure
        events.emit(events.CASE_RECORD_CHANGED, folder)

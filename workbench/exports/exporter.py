"""One export of a case folder, whatever its format: checks, the package, its custody line.

Everything that can be refused without reading is refused first (an unsafe name, a package
name already taken, an output folder inside the case). A failure after that (raised), or a
cancel (a report, outcome `cancelled`), leaves no package behind and is in the custody log.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from workbench.errors import Cancelled, ExportError, WorkbenchError, is_kind, payload_from_os_error
from workbench.events import CancelToken
from workbench.evidence.progress import ProgressCallback
from workbench.exports import recording
from workbench.exports.bag_export import BagExport
from workbench.exports.package import CaseReport, prepare_target
from workbench.exports.source import open_case
from workbench.exports.types import ExportFormat, ExportReport
from workbench.exports.zip_export import ZipExport


def export_case(
    case_dir: str | os.PathLike[str],
    fmt: ExportFormat,
    out_dir: str | os.PathLike[str],
    *,
    allow_failed: bool = False,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    report: CaseReport | None = None,
) -> ExportReport:
    """Package `case_dir` as a verified ZIP or a BagIt bag in `out_dir` (see `exports`).
    `report` brings the case folder's report up to date while the evidence is read: the
    export waits for it before it changes or reads the record."""
    started = datetime.now(timezone.utc)
    source = open_case(case_dir)
    cancel = cancel or CancelToken()
    name, origin = source.archive_name() if fmt == "zip" else source.bag_name()
    also = recording.sidecar_paths(Path(out_dir) / name) if fmt == "zip" else []
    target = prepare_target(source, out_dir, name, origin, also=also)
    report = report or CaseReport(source.case_dir)
    try:
        exporter = ZipExport if fmt == "zip" else BagExport
        return exporter(target, allow_failed=allow_failed, on_progress=on_progress,
                        cancel=cancel, report=report).run()
    except (WorkbenchError, OSError) as exc:
        report.current()  # the custody line below waits for the report being written
        failures = recording.log_export(source, recording.failure_entry(fmt, target.path, exc))
        if is_kind(exc, Cancelled):
            return ExportReport(
                format=fmt, case_dir=source.case_dir, path=target.path, size=0, digests={},
                digest_of="", verified=False, members=[], started=started,
                finished=datetime.now(timezone.utc), record_errors=failures, outcome="cancelled")
        if isinstance(exc, ExportError):
            raise
        raise ExportError(exc.payload if isinstance(exc, WorkbenchError) else (
            payload_from_os_error(exc, str(target.path), "write"))) from exc

"""What an export leaves in the case folder's record, and beside the package.

- Before packaging the record folders, the audit the export did in its one read is recorded
  as any audit is (custody line, ASC MHL generation), and the export's run record
  `_evidence/exports/<UTC start>_<format>.json` is written: case, audit problems, members.
  A ZIP therefore carries its own audit and run record.
- After the package is verified: its checksum sidecars (`<archive>.sha256` for
  `sha256sum -c`, `<archive>.blake3` for `b3sum --check`), never replacing a file, and one
  custody line with the package's path, size, digests and outcome. A failed or cancelled
  export gets a custody line too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.atomic import fsync_dir, write_atomic, write_temp
from workbench.errors import Cancelled, ErrorPayload, WorkbenchError, payload_from_os_error
from workbench.evidence.custody import ExportEntry, append_custody, who
from workbench.evidence.layout import evidence_dir
from workbench.evidence.manifest import format_line
from workbench.evidence.mhl_format.model import MhlEntry
from workbench.evidence.provenance import identity
from workbench.evidence.record import file_stamp, record_failure, write_audit_record
from workbench.evidence.types import VerifyReport, VerifyRow, counts
from workbench.exports.source import CaseSource
from workbench.exports.types import ExportFormat
from workbench.hashing.publish import publish_no_clobber

log = logging.getLogger(__name__)

EXPORTS_DIR = "exports"
"""Sub-folder of the evidence record holding one run record per export."""
SIDECARS = ("sha256", "blake3")
"""The archive's checksum files, by algorithm (`<archive>.<algorithm>`)."""


def record_audit(
    source: CaseSource, rows: list[VerifyRow], started: datetime,
    digests: dict[str, dict[str, str]],
) -> tuple[VerifyReport, list[ErrorPayload]]:
    """Record the audit made while packaging (as `verify_case` records one)."""
    report = VerifyReport(case_dir=source.case_dir, rows=rows, started=started,
                          finished=datetime.now(timezone.utc))
    return report, write_audit_record(report, _mhl_entries(source, rows, digests))


def _mhl_entries(source: CaseSource, rows: Sequence[VerifyRow],
                 digests: dict[str, dict[str, str]]) -> Iterator[MhlEntry]:
    """The audit's ASC MHL entries: every file read, `verified` or `failed`, in row order."""
    files = {item.relative: item for item in source.evidence}
    for row in rows:
        name = row.path.as_posix()
        if row.status in ("ok", "modified") and name in digests and name in files:
            yield MhlEntry.from_checked(
                relative=row.path, size=files[name].size,
                mtime=datetime.fromtimestamp(files[name].mtime_ns / 1e9, timezone.utc),
                hashes=digests[name], action="verified" if row.status == "ok" else "failed",
            )


def write_run_record(source: CaseSource, started: datetime, fmt: ExportFormat,
                     meta: dict[str, Any]) -> tuple[str, bytes]:
    """Write `exports/<UTC start>_<format>.json` in the case's record; returns its path in
    the record and its bytes. Raises OSError."""
    name = f"{EXPORTS_DIR}/{file_stamp(started)}_{fmt}.json"
    user, host, version = identity()
    document = {
        "event": "export", "format": fmt, "user": user, "host": host,
        "tool_version": version, "started": started.isoformat(),
        "case": source.case.model_dump(mode="json"), "template_id": source.template_id,
        **meta,
    }
    data = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode()
    write_atomic(evidence_dir(source.case_dir) / name, data)
    return name, data


def audit_meta(rows: Sequence[VerifyRow]) -> dict[str, Any]:
    """The audit's counts and its problem rows, for a run record."""
    return {
        "audit": counts([row.status for row in rows]),
        "audit_problems": [row.model_dump(mode="json") for row in rows if row.status != "ok"],
    }


def write_sidecars(archive: Path, digests: dict[str, str]) -> list[Path]:
    """`<archive>.sha256` and `<archive>.blake3` beside it, checkable from its folder.
    Raises OSError (FileExistsError when one is there already)."""
    written = []
    for algorithm in SIDECARS:
        path = archive.with_name(f"{archive.name}.{algorithm}")
        tmp = write_temp(path, format_line(digests[algorithm], archive.name), 0o644)
        try:
            publish_no_clobber(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(path)
    fsync_dir(archive.parent)
    return written


def sidecar_paths(archive: Path) -> list[Path]:
    """Where the archive's sidecars go."""
    return [archive.with_name(f"{archive.name}.{algorithm}") for algorithm in SIDECARS]


def log_export(source: CaseSource, entry: dict[str, Any]) -> list[ErrorPayload]:
    """Append the export's custody line; returns what could not be written."""
    try:
        append_custody(source.case_dir, ExportEntry(
            **who(), finished=datetime.now(timezone.utc).isoformat(), **entry))
    except OSError as exc:
        log.exception("could not log the export of %s", source.case_dir)
        return [record_failure(exc, source.case_dir)]
    return []


def failure_entry(fmt: ExportFormat, target: Path, exc: WorkbenchError | OSError
                  ) -> dict[str, Any]:
    """The custody line of an export that failed or was cancelled."""
    payload = exc.payload if isinstance(exc, WorkbenchError) else payload_from_os_error(exc)
    return {
        "format": fmt, "path": str(target),
        "outcome": "cancelled" if isinstance(payload, Cancelled) else "failed",
        "error": f"{payload.type}: {payload.describe()}",
    }

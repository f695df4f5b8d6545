"""Fleet-audit commands: audit every case folder of an evidence store on Dask, write the
fleet report. Thin: check the arguments, then call the services."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.atomic import write_atomic
from workbench.batch.fleet import tasks
from workbench.batch.fleet.report import fleet_html
from workbench.batch.fleet.tasks import FleetAudit, FleetProgressCallback
from workbench.batch.fleet.types import FleetReport
from workbench.errors import BatchError, FieldProblem, ValidationError, payload_from_os_error
from workbench.events import CancelToken

__all__ = ["audit_cases", "submit_audit", "write_fleet_report"]

PathArg = str | os.PathLike[str]


def submit_audit(roots: PathArg | Sequence[PathArg], *, client: Any = None,
                 pattern: str | None = None) -> FleetAudit:
    """Send one audit task per case folder under `roots` to Dask and return at once:
    `.futures` (e.g. for `distributed.progress`) and `.result()` (the `FleetReport`)."""
    return tasks.submit_audit(_roots(roots), client=client, pattern=pattern)


def audit_cases(
    roots: PathArg | Sequence[PathArg],
    *,
    client: Any = None,
    pattern: str | None = None,
    on_progress: FleetProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> FleetReport:
    """Audit every case folder under `roots`, one Dask task each: `client` a
    `distributed.Client`, a scheduler address, or None for a local cluster of processes."""
    return submit_audit(roots, client=client, pattern=pattern).result(
        on_progress=on_progress, cancel=cancel)


def write_fleet_report(report: FleetReport, path: PathArg) -> Path:
    """Write the fleet report's HTML page to `path` (atomically); returns the path."""
    if not isinstance(report, FleetReport):
        raise _invalid("report", f"expected FleetReport, got {type(report).__name__}")
    target = Path(path)
    try:
        write_atomic(target, fleet_html(report).encode())
    except OSError as exc:
        raise BatchError(payload_from_os_error(exc, str(target), "write")) from exc
    return target


def _roots(roots: PathArg | Sequence[PathArg]) -> list[PathArg]:
    listed = [roots] if isinstance(roots, str | os.PathLike) else list(roots)
    if not listed:
        raise _invalid("roots", "give at least one folder to search for case folders")
    return listed


def _invalid(field: str, message: str) -> BatchError:
    return BatchError(ValidationError.of([FieldProblem(field=field, message=message)]))

"""Verified-copy commands: plan and run. Thin: check, then call."""

from __future__ import annotations

import os
from collections.abc import Sequence

from workbench import events
from workbench.cases import CaseData
from workbench.errors import FieldProblem, ProcessingError, ValidationError
from workbench.events import CancelToken
from workbench.evidence.progress import ProgressCallback
from workbench.preferences.commands import load_preferences
from workbench.processing import engine, planner
from workbench.processing.types import CopyPlan, CopyReport
from workbench.templates.types import Template

__all__ = ["plan_copy", "run_copy"]

PathArg = str | os.PathLike[str]


def plan_copy(
    sources: PathArg | Sequence[PathArg],
    case: CaseData,
    template: Template | str,
    destination_root: PathArg,
    *,
    also_to: Sequence[PathArg] = (),
    algorithms: Sequence[str] | None = None,
    source_records: bool = True,
) -> CopyPlan:
    """Plan copying `sources` into the case folder under `destination_root` (master) and
    under each `also_to` root (working copies); `algorithms` default to the preferences.
    A source folder that carries another tool's record is checked against it in the copy's
    read unless `source_records=False`."""
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    if isinstance(also_to, str | os.PathLike):
        also_to = [also_to]
    if not isinstance(case, CaseData):
        raise _invalid("case", f"expected CaseData, got {type(case).__name__}")
    if algorithms is None:
        algorithms = load_preferences().hash_algorithms
    return planner.plan_copy(
        sources, case, template, destination_root, also_to=also_to, algorithms=algorithms,
        source_records=source_records,
    )


def run_copy(
    plan: CopyPlan,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    seal_master: bool = False,
    case_report: bool = True,
) -> CopyReport:
    """Copy, verify and record `plan`; `seal_master` makes the master's verified files read-only.

    `workers` defaults to the preferences, else `engine.DEFAULT_WORKERS`. With `case_report`
    (unless a caller packages the copy itself, like a bag), each case folder's printable report
    is then brought up to date (`events.CASE_RECORD_CHANGED`).
    """
    if not isinstance(plan, CopyPlan):
        raise _invalid("plan", f"expected CopyPlan, got {type(plan).__name__}")
    if workers is None:
        workers = load_preferences().workers or engine.DEFAULT_WORKERS
    if workers < 1:
        raise _invalid("workers", "must be at least 1")
    report = engine.run_copy_plan(
        plan, on_progress=on_progress, cancel=cancel, workers=workers, seal_master=seal_master
    )
    if case_report:
        for target in plan.targets:
            events.emit(events.CASE_RECORD_CHANGED, target.destination)
    return report


def _invalid(field: str, message: str) -> ProcessingError:
    return ProcessingError(ValidationError.of([FieldProblem(field=field, message=message)]))

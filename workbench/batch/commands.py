"""Batch commands: check and run a table of cases. Thin: check the arguments, then call."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Union

from workbench.batch import runner
from workbench.batch.progress import BatchProgressCallback
from workbench.batch.types import BatchCheck, BatchReport
from workbench.cases import DateOrder
from workbench.errors import BatchError, FieldProblem, ValidationError
from workbench.events import CancelToken
from workbench.paths import expand_user

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_batch", "run_batch"]

MAX_PARALLEL = 16
"""Cases copied at once at most (one per separate drive)."""

Cases = Union["pd.DataFrame", str, os.PathLike[str]]
"""A table of cases: a DataFrame, or the path of a CSV file."""
PathArg = str | os.PathLike[str]


def check_batch(cases: Cases, *, journal: PathArg | None = None,
                date_order: DateOrder | None = None) -> BatchCheck:
    """Every row of a batch (a DataFrame or a CSV path) checked without copying anything:
    `ready`, `invalid` (with each problem's field) or `already_done` (per the journal).
    `date_order` reads slashed dates (default: the preferences')."""
    return runner.check_batch(_cases(cases), _journal(journal), date_order)


def run_batch(
    cases: Cases,
    *,
    on_progress: BatchProgressCallback | None = None,
    cancel: CancelToken | None = None,
    parallel: int = 1,
    journal: PathArg | None = None,
    date_order: DateOrder | None = None,
) -> BatchReport:
    """Copy every valid case of a batch, one after another (`parallel` at once), resuming
    from the batch's journal; invalid rows are reported and skipped. `date_order` reads
    slashed dates (default: the preferences')."""
    if isinstance(parallel, bool) or not isinstance(parallel, int) or not (
            1 <= parallel <= MAX_PARALLEL):
        raise BatchError(ValidationError.of(
            [FieldProblem(field="parallel",
                          message=f"must be a whole number from 1 to {MAX_PARALLEL}")],
            actual=repr(parallel)))
    return runner.run_batch(_cases(cases), on_progress=on_progress, cancel=cancel,
                            parallel=parallel, journal=_journal(journal),
                            date_order=date_order)


def _cases(cases: Cases) -> Cases:
    import pandas as pd

    if not isinstance(cases, pd.DataFrame | str | os.PathLike):
        raise BatchError(ValidationError.of([FieldProblem(
            field="cases", message=f"expected a DataFrame or a CSV path, got "
                                   f"{type(cases).__name__}")]))
    return cases


def _journal(journal: PathArg | None) -> Path | None:
    return None if journal is None else expand_user(journal)

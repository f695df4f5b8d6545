"""The copy's run lock (`evidence.run_lock`): every case folder of a plan claimed while the
copy runs, each naming the files the copy may leave as `.partial` there."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from workbench.evidence.layout import case_folder_of
from workbench.evidence.run_lock import COPY_RUN, claim_run
from workbench.processing.types import CopyPlan


@contextlib.contextmanager
def claim_case_folders(plan: CopyPlan) -> Iterator[None]:
    """Hold the run lock of every case folder of `plan` while it runs: first remove the
    partials a dead copy is proven to have left, then record this run's own.

    Raises `ProcessingError`: `Conflict` when a live copy holds a lock, or the OS error's
    payload when the evidence record cannot be written.
    """
    planned: dict[Path, list[str]] = {target.destination: [] for target in plan.targets}
    for item in plan.items:
        if item.action == "copy":
            planned[case_folder_of(item.destination, item.relative)].append(
                item.relative.as_posix())
    with contextlib.ExitStack() as stack:
        for case_dir in list(planned):
            stack.enter_context(claim_run(case_dir, COPY_RUN, planned.pop(case_dir)))
        yield

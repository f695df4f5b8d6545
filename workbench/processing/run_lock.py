"""The copy's run lock (`evidence.run_lock`): every case folder of a plan claimed while the
copy runs, each naming the files the copy may leave as `.partial` there."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from workbench.evidence.run_lock import COPY_RUN, claim_run
from workbench.processing.types import CopyPlan, PlannedFiles


@contextlib.contextmanager
def claim_case_folders(plan: CopyPlan) -> Iterator[None]:
    """Hold the run lock of every case folder of `plan` while it runs: first remove the
    partials a dead copy is proven to have left, then record this run's own.

    Raises `ProcessingError`: `Conflict` when a live copy holds a lock, or the OS error's
    payload when the evidence record cannot be written.
    """
    planned: list[list[str]] = [[] for _ in plan.targets]
    items = PlannedFiles.of_any(plan.items)
    for action, relative, of in zip(items.values("action"), items.values("relative"),
                                    plan.row_targets(), strict=True):
        if action == "copy":
            planned[of].append(relative)
    with contextlib.ExitStack() as stack:
        for target in plan.targets:  # each list is dropped by its claim once on disk
            stack.enter_context(claim_run(target.destination, COPY_RUN, planned.pop(0)))
        yield

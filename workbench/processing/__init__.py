"""The copy: planner, engine, progress, and the commands `plan_copy` and `run_copy`."""

from workbench.processing.commands import plan_copy, run_copy
from workbench.processing.types import CaseTarget, CopyPlan, CopyReport, Outcome, PlannedFile

__all__ = [
    "CaseTarget", "CopyPlan", "CopyReport", "Outcome", "PlannedFile", "plan_copy", "run_copy",
]

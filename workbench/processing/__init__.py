"""The copy: planner, engine, progress, and the commands `plan_copy` and `run_copy`."""

from workbench.events import Outcome
from workbench.processing.commands import plan_copy, run_copy
from workbench.processing.types import CaseTarget, CopyPlan, CopyReport, PlannedFile

__all__ = [
    "CaseTarget", "CopyPlan", "CopyReport", "Outcome", "PlannedFile", "plan_copy", "run_copy",
]

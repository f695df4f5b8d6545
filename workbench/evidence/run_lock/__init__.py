"""The run lock of a case folder: one run at a time of each kind (a copy; a run making
derived files), and the proof that a `.partial` a killed run left is this tool's own."""

from workbench.evidence.run_lock.claim import RunClaim, claim_run, leftover_partials
from workbench.evidence.run_lock.kinds import COPY_RUN, DERIVED_RUN, RunKind
from workbench.evidence.run_lock.owner import RunOwner

__all__ = ["COPY_RUN", "DERIVED_RUN", "RunClaim", "RunKind", "RunOwner", "claim_run",
           "leftover_partials"]

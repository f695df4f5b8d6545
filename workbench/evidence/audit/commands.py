"""The audit command: re-hash a folder against the record it carries. Thin: check, then call."""

from __future__ import annotations

import os

from workbench.events import CancelToken
from workbench.evidence.audit import verify
from workbench.evidence.progress import ProgressCallback
from workbench.evidence.types import VerifyReport

__all__ = ["verify_case"]


def verify_case(
    case_dir: str | os.PathLike[str],
    against: str | os.PathLike[str] | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> VerifyReport:
    """Re-hash a folder from disk against its record: ok / modified / missing / extra.

    Without `against`, the best record the folder carries: its own `_evidence` manifest,
    else another tool's, as `workbench.foreign.READERS` lists them (folder records first,
    then every record file at its top level). `against` names a record explicitly. The report's
    `records` says which record(s) were used, `problems` what in them could not be used.
    """
    return verify.verify_case(case_dir, against=against, on_progress=on_progress, cancel=cancel)

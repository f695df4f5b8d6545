"""Evidence commands: audit a case folder against its record. Thin: check, then call."""

from __future__ import annotations

import os

from workbench.events import CancelToken
from workbench.evidence import audit
from workbench.evidence.progress import ProgressCallback
from workbench.evidence.types import VerifyReport

__all__ = ["verify_case"]


def verify_case(
    case_dir: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> VerifyReport:
    """Re-hash the case folder from disk against its manifest: ok / modified / missing / extra."""
    return audit.verify_case(case_dir, on_progress=on_progress, cancel=cancel)

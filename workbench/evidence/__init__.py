"""Everything a case folder keeps about itself: layout, manifests, custody log, ASC MHL
history, run records, and the audit (`verify_case`)."""

from workbench.evidence.commands import verify_case
from workbench.evidence.progress import DestinationState, ProgressCallback, ProgressEvent
from workbench.evidence.types import (
    AuditStatus,
    CopyRow,
    Role,
    RowStatus,
    VerifyReport,
    VerifyRow,
    human_size,
)

__all__ = [
    "AuditStatus",
    "CopyRow",
    "DestinationState",
    "ProgressCallback",
    "ProgressEvent",
    "Role",
    "RowStatus",
    "VerifyReport",
    "VerifyRow",
    "human_size",
    "verify_case",
]

"""Everything a case folder keeps about itself: layout, manifests, custody log, ASC MHL
history, run records, the audit (`verify_case`), and the volume each source came from."""

from workbench.evidence.audit import verify_case
from workbench.evidence.commands import compare_folders, list_volumes, source_volume
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
from workbench.evidence.volumes import SourceVolume
from workbench.hashing.platform.volumes import Volume
from workbench.shown_names import shown

__all__ = [
    "AuditStatus",
    "CopyRow",
    "DestinationState",
    "ProgressCallback",
    "ProgressEvent",
    "Role",
    "RowStatus",
    "SourceVolume",
    "VerifyReport",
    "VerifyRow",
    "Volume",
    "compare_folders",
    "human_size",
    "list_volumes",
    "shown",
    "source_volume",
    "verify_case",
]

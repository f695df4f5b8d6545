"""Records made by other tools — ASC MHL histories, BagIt bags, checksum lists, hashdeep
known files, the desktop app's hash CSV — read through one interface into expected entries
(relative path, size when known, digests) with typed problems."""

from workbench.foreign.applied import Applied, apply_to
from workbench.foreign.discover import RECORD_KINDS, find_records, open_record
from workbench.foreign.types import ExpectedEntry, RecordKind, RecordRef, RecordSet

__all__ = [
    "RECORD_KINDS", "Applied", "ExpectedEntry", "RecordKind", "RecordRef", "RecordSet",
    "apply_to", "find_records", "open_record",
]

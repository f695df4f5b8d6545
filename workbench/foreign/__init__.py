"""Records made by other tools — ASC MHL histories, BagIt bags, checksum lists, hashdeep
known files, the desktop app's hash CSV — read through one interface into expected entries
(relative path, size when known, digests) with typed problems."""

from workbench.foreign.applied import Applied, apply_to
from workbench.foreign.discover import find_records, open_record
from workbench.foreign.reader import RecordReader
from workbench.foreign.registry import READERS, RECORD_KINDS
from workbench.foreign.types import ExpectedEntry, RecordKind, RecordRef, RecordSet

__all__ = [
    "READERS", "RECORD_KINDS", "Applied", "ExpectedEntry", "RecordKind", "RecordReader",
    "RecordRef", "RecordSet",
    "apply_to", "find_records", "open_record",
]

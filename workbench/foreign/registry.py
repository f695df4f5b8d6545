"""The one registry of record readers: discovery, `open_record`, the CLI's help and the Audit
panel all read it. A new format is its module's `READER` and one line here."""

from __future__ import annotations

from workbench.foreign import ascmhl, bag, checksums, fsu_csv, hashdeep
from workbench.foreign.reader import RecordReader

READERS: tuple[RecordReader, ...] = (
    ascmhl.READER,
    bag.READER,
    hashdeep.READER,
    fsu_csv.READER,
    checksums.READER,
)
"""Every format, in the order a path is tried: folder records first (the first a folder
carries wins), then file records; the last is the fallback for a file named explicitly."""

RECORD_KINDS = ", ".join(reader.label for reader in READERS[:-1]) + f" or {READERS[-1].label}"
"""Every format in words: what `open_record` accepts and discovery looks for."""

"""Types of records made by other tools: what a record expects of each file, and which record."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import ClassVar

from pydantic import Field

from workbench.errors import ErrorPayload, RecordError
from workbench.hashing.algorithms import HashAlgorithm
from workbench.model import Contract

RecordKind = str
"""Which kind of record: `workbench` (a case folder's own `_evidence`) or the `kind` of one
reader of `foreign.READERS` (`ascmhl`, `bagit`, `checksums`, `hashdeep`, `fsu_csv`): the
registry is the one list, so a new format is its module and its registry line."""


class ExpectedEntry(Contract):
    """What a record says one file is."""

    error_class: ClassVar = RecordError

    path: PurePosixPath
    """Path relative to the folder the record describes (never absolute, never `..`)."""
    size: int | None = None
    """Size in bytes, when the record gives one."""
    digests: dict[HashAlgorithm, str]
    """Expected hex digests (lower case) by algorithm; ASC MHL's C4 IDs become sha512."""


class RecordRef(Contract):
    """One record a check used: what it is, where it is, what it holds."""

    error_class: ClassVar = RecordError

    kind: RecordKind
    """The kind of record: `workbench`, or the `kind` of a reader of `foreign.READERS`."""
    path: Path
    """The record: a list or CSV file, an `ascmhl` history folder, a bag folder, or the
    workbench's own `_evidence/manifest.blake3`."""
    tool: str | None = None
    """The tool that wrote it, when the record says (e.g. `ascmhl 1.2`, `o/COPY 0.9.2`)."""
    files: int = 0
    """Files the record lists."""
    algorithms: list[HashAlgorithm] = Field(default_factory=list)
    """Digests the record gives that the workbench checks."""
    unchecked: list[str] = Field(default_factory=list)
    """Digests the record gives that the workbench cannot compute (e.g. hashdeep's tiger)."""


class RecordSet(Contract):
    """The expectations of one or more records about one folder, with their problems."""

    error_class: ClassVar = RecordError

    records: list[RecordRef]
    """The records read, best first."""
    entries: list[ExpectedEntry]
    """One entry per listed file (records that list the same file are merged)."""
    problems: list[ErrorPayload] = Field(default_factory=list)
    """What could not be used: unsafe paths, malformed lines, tampered histories ..."""
    ignore: list[str] = Field(default_factory=list)
    """Git-style patterns of files the record leaves out on purpose (ASC MHL ignore lists)."""
    record_files: list[Path] = Field(default_factory=list)
    """The records' own files, never counted as evidence (the list file itself, tag manifests)."""

    @property
    def algorithms(self) -> list[HashAlgorithm]:
        """Every algorithm the entries need, in first-seen order."""
        seen: dict[HashAlgorithm, None] = {}
        for entry in self.entries:
            seen.update(dict.fromkeys(entry.digests))
        return list(seen)

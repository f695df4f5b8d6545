"""Types of records made by other tools: what a record expects of each file, and which record."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Annotated, ClassVar

from pydantic import Field

from workbench.errors import ErrorPayload, RecordError
from workbench.foreign.columns import ExpectedColumns
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


class ExpectedEntries(ExpectedColumns):
    """`ExpectedEntry` rows in columns (see `foreign.columns`): a list in the schema."""

    __slots__ = ()
    row_type = ExpectedEntry


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
    entries: Annotated[Sequence[ExpectedEntry], ExpectedEntries]
    """One entry per listed file, sorted by path (records that list the same file are
    merged); kept in columns, so a list of 10⁶ lines stays small."""
    problems: list[ErrorPayload] = Field(default_factory=list)
    """What could not be used: unsafe paths, malformed lines, tampered histories ..."""
    ignore: list[str] = Field(default_factory=list)
    """Git-style patterns of files the record leaves out on purpose (ASC MHL ignore lists)."""
    record_files: list[Path] = Field(default_factory=list)
    """The records' own files, never counted as evidence (the list file itself, tag manifests)."""

    @property
    def algorithms(self) -> list[HashAlgorithm]:
        """Every algorithm the entries need, in first-seen order."""
        return self.columns.digests.algorithms()

    @property
    def columns(self) -> ExpectedEntries:
        """The entries as columns (what they always are once validated)."""
        entries: ExpectedEntries = self.entries  # type: ignore[assignment]
        return entries

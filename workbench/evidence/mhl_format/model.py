"""Types of the ASC MHL history: the files of a generation and the links of the chain."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
from typing import ClassVar, Literal

from pydantic import Field

from workbench.errors import EvidenceError
from workbench.model import Contract

MHL_DIR = "ascmhl"
"""The history folder at the root of a case folder, as ASC MHL requires."""
CHAIN_FILE = "ascmhl_chain.xml"
"""The chain file inside `MHL_DIR`: every generation file with its C4 ID."""

MhlAction = Literal["original", "verified", "failed"]
"""ASC MHL hash action: first seen, matched an earlier record, or did not match."""
MhlProcess = Literal["transfer", "in-place"]
"""ASC MHL process: a copy into the folder, or a re-check of the folder where it is."""


class MhlEntry(Contract):
    """One file of a generation."""

    error_class: ClassVar = EvidenceError

    relative: PurePosixPath
    """Path relative to the case folder."""
    size: int
    """Size in bytes."""
    mtime: datetime
    """Last modification time of the file (UTC)."""
    hashes: dict[str, str]
    """Hex digests by algorithm (blake3, xxh128, md5, sha1, sha256)."""
    action: MhlAction
    """original (first seen), verified (matched an earlier record) or failed."""
    hashdate: datetime | None = None
    """When the digests were computed (UTC); the generation's `finished` time when not given."""
    verified_against: list[str] = Field(default_factory=list)
    """Algorithms whose digest matched an earlier record of the file (another tool's, which
    the source arrived with): written with action `verified` whatever `action` says."""


class MhlGeneration(Contract):
    """One link of the chain: a generation file and the C4 ID it had when it was written."""

    error_class: ClassVar = EvidenceError

    number: int
    """Sequence number, from 1."""
    name: str
    """File name inside `MHL_DIR`, e.g. `0001_CASE_2026-11-20_140000Z.mhl`."""
    c4: str
    """C4 ID of the file's bytes, as recorded in the chain."""
    intact: bool | None = None
    """Whether the file still has that C4 ID (None: not checked)."""

"""ASC MHL v2.0 history of a case folder (`ascmhl/`): one generation per copy or audit.

INTERFACE PLACEHOLDER written by the integrator: the MHL helper replaces the body of
`append_generation` (and may add modules); the signature and `MhlEntry` are the contract
the engine and the audit call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Literal

from workbench.cases import CaseData
from workbench.model import Contract

MHL_DIR = "ascmhl"
"""The history folder at the root of a case folder, as ASC MHL requires."""

MhlAction = Literal["original", "verified", "failed"]


class MhlEntry(Contract):
    """One file of a generation."""

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


def append_generation(
    case_dir: Path,
    entries: Sequence[MhlEntry],
    *,
    process: Literal["transfer", "in-place"],
    case: CaseData,
    started: datetime,
    finished: datetime,
    ignore: Sequence[str] = (),
) -> Path | None:
    """Write the next generation file and update the chain; returns the generation file."""
    return None

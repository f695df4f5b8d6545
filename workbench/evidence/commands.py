"""Evidence commands: identify a source's volume, list the mounted ones, compare two case
folders' evidence. Thin: check, then call."""

from __future__ import annotations

import os

from workbench.events import CancelToken
from workbench.evidence import volumes
from workbench.evidence.layout import RECORD_DIRS
from workbench.evidence.volumes import SourceVolume
from workbench.hashing import FolderComparison
from workbench.hashing import compare_folders as compare_trees
from workbench.hashing.platform.volumes import Volume, mounted_volumes
from workbench.paths import absolute

__all__ = ["compare_folders", "list_volumes", "source_volume"]


def source_volume(source: str | os.PathLike[str]) -> SourceVolume:
    """The volume `source` is read from: mount point, file system, read-only or not, label,
    UUID/serial and size where the OS exposes them, and `.advisory` when it is writable."""
    return volumes.identify(absolute(source))


def list_volumes() -> list[Volume]:
    """Every mounted volume on a device, removable ones first (what the folder browser lists)."""
    return mounted_volumes()


def compare_folders(
    a: str | os.PathLike[str], b: str | os.PathLike[str], *, algorithm: str = "blake3",
    cancel: CancelToken | None = None,
) -> FolderComparison:
    """Hash both folders from disk and match their files by relative path; the tools' own
    records (`_evidence/`, `ascmhl/`, `derived/`) are listed apart and never decide `ok`, so a
    master and its working copy from one read compare the same."""
    return compare_trees(a, b, algorithm=algorithm, cancel=cancel, set_aside=RECORD_DIRS)

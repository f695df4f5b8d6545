"""A record set applied to the folder it describes: expectations by relative POSIX path, and
which of the folder's files the records leave out (ignore patterns, the records' own files)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pathspec

from workbench.foreign.types import RecordSet
from workbench.hashing.algorithms import HashAlgorithm


@dataclass(frozen=True)
class Applied:
    """What the files of one folder must be, by relative path."""

    digests: dict[str, dict[HashAlgorithm, str]]
    """Expected digests by relative path (files the records leave out are not here)."""
    sizes: dict[str, int]
    """Expected sizes, where the records give them."""
    skipped: Callable[[str], bool]
    """Whether a relative path is left out of the check (never evidence, never extra)."""


def apply_to(found: RecordSet, folder: Path) -> Applied:
    """`found`'s expectations about `folder`, with its ignore patterns and own files applied."""
    ignore = pathspec.GitIgnoreSpec.from_lines(found.ignore)
    own_files = {
        path.relative_to(folder).as_posix() for path in found.record_files
        if path.is_relative_to(folder)
    }

    def skipped(name: str) -> bool:
        return name in own_files or ignore.match_file(name)

    digests: dict[str, dict[HashAlgorithm, str]] = {}
    sizes: dict[str, int] = {}
    for entry in found.entries:
        name = entry.path.as_posix()
        if skipped(name):
            continue
        digests[name] = entry.digests
        if entry.size is not None:
            sizes[name] = entry.size
    return Applied(digests, sizes, skipped)

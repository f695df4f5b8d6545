"""A record set applied to the folder it describes: expectations by relative POSIX path, and
which of the folder's files the records leave out (ignore patterns, the records' own files).

The expectations are views on the record's columns (`foreign.columns`): a digest dict is made
only for the path asked about, so a list of 10⁶ lines is never copied into dicts."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pathspec

from workbench.foreign.types import ExpectedEntries, RecordSet
from workbench.hashing.algorithms import HashAlgorithm


@dataclass(frozen=True)
class Applied:
    """What the files of one folder must be, by relative path."""

    digests: ExpectedDigests
    """Expected digests by relative path (files the records leave out are not here)."""
    sizes: Mapping[str, int]
    """Expected sizes, where the records give them."""
    skipped: Callable[[str], bool]
    """Whether a relative path is left out of the check (never evidence, never extra)."""


class ExpectedDigests(Mapping[str, dict[HashAlgorithm, str]]):
    """The entries' digests by path, the left-out ones hidden; iterates in path order."""

    def __init__(self, entries: ExpectedEntries, left_out: set[int]) -> None:
        self.entries, self.left_out = entries, left_out

    def position(self, name: str) -> int | None:
        """`name`'s entry position, or None (not listed, or left out)."""
        i = self.entries.position(name)
        return None if i is None or i in self.left_out else i

    def positions(self) -> Iterator[int]:
        """Every entry position kept, in path order."""
        return (i for i in range(len(self.entries)) if i not in self.left_out)

    def __getitem__(self, name: str) -> dict[HashAlgorithm, str]:
        i = self.position(name)
        if i is None:
            raise KeyError(name)
        return self.entries.digests[i]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.position(name) is not None

    def __iter__(self) -> Iterator[str]:
        names = self.entries.names
        return (names[i] for i in self.positions())

    def __len__(self) -> int:
        return len(self.entries) - len(self.left_out)


class _Sizes(Mapping[str, int]):
    """The sizes the entries give, by path."""

    def __init__(self, digests: ExpectedDigests) -> None:
        self._digests = digests

    def __getitem__(self, name: str) -> int:
        i = self._digests.position(name)
        size = None if i is None else self._digests.entries.size(i)
        if size is None:
            raise KeyError(name)
        return size

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._digests if name in self)

    def __len__(self) -> int:
        return sum(1 for _name in self)


def apply_to(found: RecordSet, folder: Path) -> Applied:
    """`found`'s expectations about `folder`, with its ignore patterns and own files applied."""
    ignore = pathspec.GitIgnoreSpec.from_lines(found.ignore)
    own_files = {
        path.relative_to(folder).as_posix() for path in found.record_files
        if path.is_relative_to(folder)
    }

    def skipped(name: str) -> bool:
        return name in own_files or ignore.match_file(name)

    entries = found.columns
    left_out = {i for i, name in enumerate(entries.names) if skipped(name)} if (
        found.ignore or own_files) else set()
    digests = ExpectedDigests(entries, left_out)
    return Applied(digests, _Sizes(digests), skipped)

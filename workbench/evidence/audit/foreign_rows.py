"""The rows of an audit against another tool's record, built in columns.

A row model per entry costs a kilobyte, and a list of 10⁶ lines (most of them `missing`
when a folder lost files) would cost gigabytes. Here a row is a status byte, a size, the
position of its record entry (the expected digest is read from the record's own columns
when a row is shown) and references to the name and algorithm already held.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

from workbench.evidence.types import AUDIT_STATUSES, VerifyRows
from workbench.foreign.applied import ExpectedDigests
from workbench.hashing.algorithms import HashAlgorithm

_OK, _MODIFIED, _MISSING, _EXTRA = range(len(AUDIT_STATUSES))


class _ExpectedColumn(Sequence[str | None]):
    """Row `k`'s expected digest, read from the record's columns when asked."""

    def __init__(self, digests: ExpectedDigests, entry: array[int],
                 algorithm: list[HashAlgorithm]) -> None:
        self._digests, self._entry, self._algorithm = digests.entries.digests, entry, algorithm

    def __len__(self) -> int:
        return len(self._entry)

    @overload
    def __getitem__(self, k: int) -> str | None: ...

    @overload
    def __getitem__(self, k: slice) -> list[str | None]: ...

    def __getitem__(self, k: int | slice) -> str | list[str | None] | None:
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self)))]
        i = self._entry[k]
        return None if i < 0 else self._digests.get(i, self._algorithm[k])

    def __iter__(self) -> Iterator[str | None]:
        return (self[k] for k in range(len(self)))


def foreign_rows(expected: ExpectedDigests, present: Mapping[str, os.stat_result],
                 read: Mapping[str, Mapping[str, str]], unlisted: HashAlgorithm) -> VerifyRows:
    """Each listed entry in path order (ok / modified / missing), then each unlisted file
    present (`extra`, with its `unlisted` digest), from the files `present` now and the
    digests `read` now."""
    entries, names = expected.entries, expected.entries.names
    paths: list[str] = []
    status = bytearray()
    algorithm: list[HashAlgorithm] = []
    actual: list[str | None] = []
    size, entry = array("q"), array("q")
    for i in expected.positions():
        name = names[i]
        info = present.get(name)
        if info is None:
            code, chosen, digest = _MISSING, entries.digests.first(i), None
        else:
            wanted, got = entries.digests[i], read.get(name) or {}
            wrong = [alg for alg, hexdigest in wanted.items() if got.get(alg) != hexdigest]
            listed_size = entries.size(i)
            code = _MODIFIED if wrong or (
                listed_size is not None and listed_size != info.st_size) else _OK
            chosen = (wrong or list(wanted))[0]
            digest = got.get(chosen)
        paths.append(name)
        status.append(code)
        algorithm.append(chosen)
        actual.append(digest)
        size.append(-1 if info is None else info.st_size)
        entry.append(i)
    for name in sorted(present):
        if name in expected:
            continue
        paths.append(name)
        status.append(_EXTRA)
        algorithm.append(unlisted)
        actual.append((read.get(name) or {}).get(unlisted))
        size.append(present[name].st_size)
        entry.append(-1)
    return VerifyRows({
        "path": paths, "status": bytes(status), "algorithm": algorithm,
        "expected": _ExpectedColumn(expected, entry, algorithm), "actual": actual, "size": size,
    })

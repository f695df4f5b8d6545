"""A record's entries kept in columns: a big list costs its names and its raw digests.

A checksum list of 10⁶ lines read into one model (and one dict of digests) per line took
2.7 GB (issue #19). Here an entry is its name (a `str`), its size in an `array` and each
digest as raw bytes in one `bytearray` per algorithm: about 150 bytes a file, the name
included. Entries are kept sorted by path and found by binary search.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import Any, ClassVar, overload

from workbench.hashing.algorithms import SPECS, HashAlgorithm
from workbench.model import ModelColumns


class DigestColumn(Sequence[dict[HashAlgorithm, str]]):
    """Each entry's digests: per algorithm, fixed-width raw bytes and a presence flag."""

    __slots__ = ("_blobs",)

    def __init__(self) -> None:
        self._blobs: dict[HashAlgorithm, tuple[bytearray, bytearray]] = {}

    def put(self, i: int, algorithm: HashAlgorithm, digest: str) -> None:
        """Entry `i` has `digest` (lower-case hex, checked already) under `algorithm`."""
        blob, present = self._blobs.setdefault(algorithm, (bytearray(), bytearray()))
        width = SPECS[algorithm].hex_length // 2
        if len(present) <= i:
            present.extend(bytes(i + 1 - len(present)))
            blob.extend(bytes((i + 1) * width - len(blob)))
        blob[i * width:(i + 1) * width] = bytes.fromhex(digest)
        present[i] = 1

    def get(self, i: int, algorithm: HashAlgorithm) -> str | None:
        """Entry `i`'s digest under `algorithm`, or None."""
        found = self._blobs.get(algorithm)
        if found is None or i >= len(found[1]) or not found[1][i]:
            return None
        width = SPECS[algorithm].hex_length // 2
        return found[0][i * width:(i + 1) * width].hex()

    def first(self, i: int) -> HashAlgorithm:
        """The first algorithm entry `i` has a digest under."""
        return next(algorithm for algorithm, (_blob, present) in self._blobs.items()
                    if i < len(present) and present[i])

    def algorithms(self) -> list[HashAlgorithm]:
        """Every algorithm some entry has, in first-seen order."""
        return list(self._blobs)

    def reordered(self, order: Sequence[int]) -> DigestColumn:
        """The column with entry `k` taken from entry `order[k]` (raw bytes copied)."""
        column = DigestColumn()
        for algorithm, (blob, present) in self._blobs.items():
            width = SPECS[algorithm].hex_length // 2
            new_blob, new_present = bytearray(width * len(order)), bytearray(len(order))
            for k, i in enumerate(order):
                if i < len(present) and present[i]:
                    new_blob[k * width:(k + 1) * width] = blob[i * width:(i + 1) * width]
                    new_present[k] = 1
            column._blobs[algorithm] = (new_blob, new_present)
        return column

    def __len__(self) -> int:
        return max((len(present) for _blob, present in self._blobs.values()), default=0)

    @overload
    def __getitem__(self, i: int) -> dict[HashAlgorithm, str]: ...

    @overload
    def __getitem__(self, i: slice) -> list[dict[HashAlgorithm, str]]: ...

    def __getitem__(self, i: int | slice) -> dict[HashAlgorithm, str] | list[
            dict[HashAlgorithm, str]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        found = {algorithm: self.get(i, algorithm) for algorithm in self._blobs}
        return {algorithm: digest for algorithm, digest in found.items() if digest is not None}


def _size(stored: int) -> int | None:
    return None if stored < 0 else stored


class ExpectedColumns(ModelColumns[Any]):
    """A record's `ExpectedEntry` rows in columns, sorted by path (found by binary search:
    a dict from path to position cost ~70 MB at 10⁶ entries)."""

    __slots__ = ()
    decoders: ClassVar[dict[str, Any]] = {"path": PurePosixPath, "size": _size}

    def position(self, name: str) -> int | None:
        """The position of the entry of `name` (POSIX text), or None when none has it."""
        names = self.names
        i = bisect_left(names, name)
        return i if i < len(names) and names[i] == name else None

    @classmethod
    def build(cls, entries: Iterable[tuple[str, int | None, dict[HashAlgorithm, str]]]
              ) -> ExpectedColumns:
        """Columns of (path, size, digests) entries given in any order, one per path."""
        found = sorted(entries, key=lambda entry: entry[0])
        digests = DigestColumn()
        for i, (_name, _known, by_algorithm) in enumerate(found):
            for algorithm, digest in by_algorithm.items():
                digests.put(i, algorithm, digest)
        return cls({"path": [entry[0] for entry in found],
                    "size": array("q", [-1 if entry[1] is None else entry[1] for entry in found]),
                    "digests": digests})

    @classmethod
    def of(cls, rows: Iterable[Any]) -> ExpectedColumns:
        """The columns of `ExpectedEntry` models."""
        return cls.build((row.path.as_posix(), row.size, row.digests) for row in rows)

    @property
    def names(self) -> list[str]:
        """Every path as POSIX text, sorted."""
        names: list[str] = self.column("path")  # type: ignore[assignment]
        return names

    def size(self, i: int) -> int | None:
        """Entry `i`'s size, when its record gives one."""
        return _size(self.column("size")[i])

    @property
    def digests(self) -> DigestColumn:
        """The digests column."""
        column: DigestColumn = self.column("digests")  # type: ignore[assignment]
        return column

    def triples(self) -> Iterator[tuple[str, int | None, dict[HashAlgorithm, str]]]:
        """Each entry as (path, size, digests), without making models."""
        for i, name in enumerate(self.names):
            yield name, self.size(i), self.digests[i]

    def prefixed(self, prefix: str) -> ExpectedColumns:
        """The same entries under the folder `prefix` (their order is kept)."""
        return type(self)({**self._columns, "path": [f"{prefix}/{name}" for name in self.names]})

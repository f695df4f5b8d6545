"""Collecting a record's entries: one per file, digests merged, contradictions found."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from pathlib import Path

from workbench.errors import ErrorPayload, MalformedRecord, UnsafeRecordPath
from workbench.foreign.columns import DigestColumn
from workbench.foreign.paths import printable, safe_name
from workbench.foreign.types import ExpectedEntries, RecordRef, RecordSet
from workbench.hashing.algorithms import SPECS, HashAlgorithm

_HEX = re.compile(r"[0-9a-fA-F]+")
MAX_PROBLEMS = 1000
"""Problems kept per record; past that they are counted (a hostile list of 10⁶ bad lines
must not cost a model per line)."""


class EntryCollector:
    """Entries of one record, keyed by relative path (POSIX text), kept in columns (a size
    array, raw digests), and every problem found reading it."""

    def __init__(self, record: Path) -> None:
        self.record = record
        self.name = str(record)
        self._index: dict[str, int] = {}
        self._sizes = array("q")
        self._digests = DigestColumn()
        self.problems: list[ErrorPayload] = []
        self._dropped = 0

    def note(self, problem: ErrorPayload) -> None:
        """Keep `problem` (only counted past `MAX_PROBLEMS`)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self._dropped += 1

    def path(self, name: str, line: int | None = None, *, windows: bool = False
             ) -> str | None:
        """`name` checked as a relative path (POSIX text); an unsafe one is a problem and
        None."""
        checked = safe_name(name, self.name, line, windows=windows)
        if isinstance(checked, UnsafeRecordPath):
            self.note(checked)
            return None
        return checked

    def digest(self, algorithm: HashAlgorithm, value: str, line: int | None = None
               ) -> str | None:
        """`value` as a lower-case hex digest of `algorithm`; a wrong one is a problem and None."""
        expected = SPECS[algorithm].hex_length
        if _HEX.fullmatch(value) is None or len(value) != expected:
            self.malformed("digest", f"{printable(value[:140])!r} is not a {algorithm} digest "
                           f"({expected} hex digits)", line)
            return None
        return value.lower()

    def add(self, path: str, algorithm: HashAlgorithm, digest: str,
            size: int | None = None, line: int | None = None, *,
            conflict: str | None = None) -> None:
        """Record that `path` has `digest` under `algorithm`; a different earlier one is a
        conflict (the earlier stands; `conflict` words it, else the record's own)."""
        i = self._index.setdefault(path, len(self._index))
        if i == len(self._sizes):
            self._sizes.append(-1)
        if self._sizes[i] < 0 and size is not None:
            self._sizes[i] = size
        earlier = self._digests.get(i, algorithm)
        if earlier is None:
            self._digests.put(i, algorithm, digest)
        elif earlier != digest:
            self.malformed("conflict", conflict or f"{printable(path)!r} is listed with two "
                           f"different {algorithm} digests", line)

    def move(self, old: str, new: str) -> None:
        """A file the record says was renamed from `old` keeps `old`'s digests."""
        if old in self._index and new not in self._index:
            self._index[new] = self._index.pop(old)

    def discard(self, path: str) -> None:
        """Forget `path` (a record's own file it happens to list)."""
        self._index.pop(path, None)

    def malformed(self, problem: str, detail: str, line: int | None = None) -> None:
        """Note a `MalformedRecord` problem of this record."""
        if len(self.problems) >= MAX_PROBLEMS:
            self._dropped += 1
            return
        self.note(MalformedRecord.model_validate(
            {"record": self.name, "problem": problem, "detail": detail, "line": line}
        ))

    def entries(self) -> ExpectedEntries:
        """The entries so far, sorted by path, in columns. The collector sorts its own
        columns, shares them with the result and forgets its index: add nothing afterwards."""
        names = sorted(self._index)
        order = array("q", (self._index[name] for name in names))
        self._index.clear()  # the entries are found by binary search of their sorted names
        self._sizes = array("q", (self._sizes[i] for i in order))
        self._digests = self._digests.reordered(order)
        del order
        return ExpectedEntries({"path": names, "size": self._sizes, "digests": self._digests})

    def result(self, ref: RecordRef, *, ignore: Iterable[str] = (),
               record_files: Iterable[Path] = ()) -> RecordSet:
        """The record set: `ref` with its file count and algorithms filled in."""
        entries = self.entries()
        if self._dropped:
            self.problems.append(MalformedRecord(
                record=self.name, problem="too_many",
                detail=f"{self._dropped:,} more problems like these were counted, not kept"))
            self._dropped = 0
        ref = ref.model_copy(update={"files": len(entries),
                                     "algorithms": entries.digests.algorithms()})
        return RecordSet(records=[ref], entries=entries, problems=self.problems,
                         ignore=list(ignore), record_files=list(record_files))


def merge(sets: Iterable[RecordSet]) -> RecordSet:
    """Several records of one folder as one set; two digests of one file under one algorithm
    that differ are a conflict (the earlier record's stands)."""
    sets = list(sets)
    if len(sets) == 1:
        return sets[0]
    collector = EntryCollector(Path())
    for one in sets:
        collector.name = str(one.records[0].path)
        for name, size, digests in one.columns.triples():
            for algorithm, digest in digests.items():
                collector.add(name, algorithm, digest, size, conflict=(
                    f"{printable(name)!r} has another {algorithm} digest in an earlier record"))
    conflicts = collector.problems
    return RecordSet(
        records=[ref for one in sets for ref in one.records], entries=collector.entries(),
        problems=[problem for one in sets for problem in one.problems] + conflicts,
        ignore=[pattern for one in sets for pattern in one.ignore],
        record_files=[path for one in sets for path in one.record_files],
    )

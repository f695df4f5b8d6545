"""Collecting a record's entries: one per file, digests merged, contradictions found."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from workbench.errors import ErrorPayload, MalformedRecord, UnsafeRecordPath
from workbench.foreign.paths import printable, safe_relative
from workbench.foreign.types import ExpectedEntry, RecordRef, RecordSet
from workbench.hashing.algorithms import SPECS, HashAlgorithm

_HEX = re.compile(r"[0-9a-fA-F]+")


class EntryCollector:
    """Entries of one record, keyed by relative path, and every problem found reading it."""

    def __init__(self, record: Path) -> None:
        self.record = record
        self.name = str(record)
        self._entries: dict[PurePosixPath, tuple[int | None, dict[HashAlgorithm, str]]] = {}
        self.problems: list[ErrorPayload] = []

    def path(self, name: str, line: int | None = None, *, windows: bool = False
             ) -> PurePosixPath | None:
        """`name` checked as a relative path; an unsafe one is a problem and None."""
        checked = safe_relative(name, self.name, line, windows=windows)
        if isinstance(checked, UnsafeRecordPath):
            self.problems.append(checked)
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

    def add(self, path: PurePosixPath, algorithm: HashAlgorithm, digest: str,
            size: int | None = None, line: int | None = None) -> None:
        """Record that `path` has `digest` under `algorithm`; a different earlier one is a
        conflict (the earlier stands)."""
        known_size, digests = self._entries.setdefault(path, (size, {}))
        if known_size is None and size is not None:
            self._entries[path] = (size, digests)
        earlier = digests.setdefault(algorithm, digest)
        if earlier != digest:
            self.malformed("conflict", f"{printable(path.as_posix())!r} is listed with two "
                           f"different {algorithm} digests", line)

    def move(self, old: PurePosixPath, new: PurePosixPath) -> None:
        """A file the record says was renamed from `old` keeps `old`'s digests."""
        if old in self._entries and new not in self._entries:
            self._entries[new] = self._entries.pop(old)

    def discard(self, path: PurePosixPath) -> None:
        """Forget `path` (a record's own file it happens to list)."""
        self._entries.pop(path, None)

    def malformed(self, problem: str, detail: str, line: int | None = None) -> None:
        """Note a `MalformedRecord` problem of this record."""
        self.problems.append(MalformedRecord.model_validate(
            {"record": self.name, "problem": problem, "detail": detail, "line": line}
        ))

    def result(self, ref: RecordRef, *, ignore: Iterable[str] = (),
               record_files: Iterable[Path] = ()) -> RecordSet:
        """The record set: `ref` with its file count and algorithms filled in."""
        entries = [
            ExpectedEntry.model_construct(path=path, size=size, digests=digests)
            for path, (size, digests) in self._entries.items() if digests
        ]
        algorithms: dict[HashAlgorithm, None] = {}
        for entry in entries:
            algorithms.update(dict.fromkeys(entry.digests))
        ref = ref.model_copy(update={"files": len(entries), "algorithms": list(algorithms)})
        return RecordSet(records=[ref], entries=entries, problems=self.problems,
                         ignore=list(ignore), record_files=list(record_files))


def merge(sets: Iterable[RecordSet]) -> RecordSet:
    """Several records of one folder as one set; two digests of one file under one algorithm
    that differ are a conflict."""
    sets = list(sets)
    by_path: dict[PurePosixPath, ExpectedEntry] = {}
    problems: list[ErrorPayload] = [problem for one in sets for problem in one.problems]
    for one in sets:
        for entry in one.entries:
            known = by_path.get(entry.path)
            if known is None:
                by_path[entry.path] = entry
                continue
            clash = [alg for alg, hexdigest in entry.digests.items()
                     if known.digests.get(alg, hexdigest) != hexdigest]
            if clash:
                problems.append(MalformedRecord(
                    record=str(one.records[0].path), problem="conflict",
                    detail=f"{printable(entry.path.as_posix())!r} has another {clash[0]} digest "
                           "in an earlier record",
                ))
            by_path[entry.path] = known.model_copy(update={
                "digests": {**entry.digests, **known.digests},
                "size": known.size if known.size is not None else entry.size,
            })
    return RecordSet(
        records=[ref for one in sets for ref in one.records], entries=list(by_path.values()),
        problems=problems, ignore=[pattern for one in sets for pattern in one.ignore],
        record_files=[path for one in sets for path in one.record_files],
    )

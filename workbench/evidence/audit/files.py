"""Every file an audit looks at, kept in columns: its name, size, time, kind, the digest its
record expects and the digests read now.

A model or a `stat_result` per file would cost a kilobyte each; the columns cost the name
and the digests (the blake3 read now is the very string the manifest holds when they match)
plus a few dozen bytes, so that auditing 200,000 files stays within a small budget.
"""

from __future__ import annotations

import stat
from array import array
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from workbench.evidence.layout import RECORD_DIRS
from workbench.evidence.mhl_format.model import MhlEntry
from workbench.evidence.types import AUDIT_STATUSES, VerifyRows
from workbench.hashing.tree import iter_files

MISSING, REGULAR, OTHER = 0, 1, 2
"""Kinds of file: listed in the record but absent, a regular file, anything else present."""
_OK, _MODIFIED, _MISSING, _EXTRA = (AUDIT_STATUSES.index(s) for s in
                                    ("ok", "modified", "missing", "extra"))
_XXH128 = 16
"""Bytes of an xxh128 digest."""


class AuditFiles:
    """The files of one audit; column `i` of each list describes file `i`."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.sizes = array("q")
        self.mtimes = array("q")
        self.kinds = bytearray()
        self.expected: list[str | None] = []
        self.blake3: list[str | None] = []
        """blake3 read now (None until read, or when it could not be)."""
        self._xxh128 = bytearray()
        """xxh128 read now, raw, 16 bytes a file (for the ASC MHL generation)."""

    @classmethod
    def scan(cls, case_dir: Path, expected: dict[str, str]) -> AuditFiles:
        """Every file of `case_dir`, then every file `expected` lists that is not there.
        Takes the entries out of `expected` as it matches them (it is empty afterwards)."""
        files = cls()
        for name, info in iter_files(case_dir, RECORD_DIRS):
            kind = REGULAR if stat.S_ISREG(info.st_mode) else OTHER
            files._add(name, info.st_size, info.st_mtime_ns, kind, expected.pop(name, None))
        for name, digest in expected.items():
            files._add(name, -1, -1, MISSING, digest)
        expected.clear()
        return files

    def _add(self, name: str, size: int, mtime_ns: int, kind: int, digest: str | None) -> None:
        self.names.append(name)
        self.sizes.append(size)
        self.mtimes.append(mtime_ns)
        self.kinds.append(kind)
        self.expected.append(digest)
        self.blake3.append(None)
        self._xxh128 += bytes(_XXH128)

    def regular(self) -> list[int]:
        """The columns of the regular files present (the ones to read)."""
        return [i for i, kind in enumerate(self.kinds) if kind == REGULAR]

    def read(self, i: int, blake3: str, xxh128: bytes) -> None:
        """Keep what reading file `i` gave (its record's own string when blake3 matches)."""
        expected = self.expected[i]
        self.blake3[i] = expected if blake3 == expected else blake3
        self._xxh128[i * _XXH128:(i + 1) * _XXH128] = xxh128

    def xxh128(self, i: int) -> bytes | None:
        """File `i`'s xxh128 read now (raw), None until read."""
        return None if self.blake3[i] is None else bytes(
            self._xxh128[i * _XXH128:(i + 1) * _XXH128])

    def matched(self, i: int) -> bool:
        """Whether file `i` was read and matches its manifest entry."""
        return self.status(i) == _OK

    def status(self, i: int) -> int:
        """File `i`'s status, as an index of `AUDIT_STATUSES`."""
        if self.kinds[i] == MISSING:
            return _MISSING
        if self.expected[i] is None:
            return _EXTRA
        return _OK if self.blake3[i] is self.expected[i] else _MODIFIED

    def rows(self) -> VerifyRows:
        """The audit's rows: the record's entries sorted by path, then the unlisted files."""
        names = self.names
        listed = sorted((i for i, digest in enumerate(self.expected) if digest is not None),
                        key=names.__getitem__)
        extra = sorted((i for i, digest in enumerate(self.expected) if digest is None),
                       key=names.__getitem__)
        return VerifyRows({
            "path": names, "status": bytes(self.status(i) for i in range(len(names))),
            "algorithm": ["blake3"] * len(names), "expected": self.expected,
            "actual": self.blake3, "size": self.sizes,
        }, order=array("l", listed + extra))

    def mhl_entries(self) -> Iterator[MhlEntry]:
        """An ASC MHL entry for every file read, in path order, made one at a time."""
        for i in sorted(range(len(self.names)), key=self.names.__getitem__):
            blake3, xxh128, status = self.blake3[i], self.xxh128(i), self.status(i)
            if blake3 is None or xxh128 is None or status not in (_OK, _MODIFIED):
                continue
            yield MhlEntry.from_checked(
                relative=PurePosixPath(self.names[i]), size=self.sizes[i],
                mtime=datetime.fromtimestamp(self.mtimes[i] / 1e9, timezone.utc),
                hashes={"blake3": blake3, "xxh128": xxh128.hex()},
                action="verified" if status == _OK else "failed",
            )

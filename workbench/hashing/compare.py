"""Two folder trees hashed and matched by relative path: same, different, or only on one side.

Every file of both trees is read once from disk (page cache dropped), several at a time;
the two sides are matched through dicts, linear in the number of files.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from workbench.errors import ProcessingError
from workbench.events import CancelToken
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.tree import WORKERS, FileToHash, hash_files, is_regular, list_files
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

CompareStatus = Literal["same", "different", "only_in_a", "only_in_b"]
"""How one relative path compares between the two folders."""
COMPARE_COLUMNS = ["path", "status", "size_a", "size_b", "digest_a", "digest_b"]
"""Columns of a comparison table."""


class ComparedFile(Contract):
    """One relative path of either folder."""

    error_class: ClassVar = ProcessingError

    path: PurePosixPath
    """Path relative to both folders."""
    status: CompareStatus
    """same, different, only_in_a or only_in_b."""
    size_a: int | None = None
    """Size in folder A (None when it is not there)."""
    size_b: int | None = None
    """Size in folder B (None when it is not there)."""
    digest_a: str | None = None
    """Digest of the file in A (None when absent, unreadable or not a regular file)."""
    digest_b: str | None = None
    """Digest of the file in B."""


class FolderComparison(Contract):
    """The result of `compare_folders`: every relative path of either folder."""

    error_class: ClassVar = ProcessingError

    a: Path
    """The first folder."""
    b: Path
    """The second folder."""
    algorithm: HashAlgorithm
    """The digest both sides were hashed with."""
    rows: list[ComparedFile]
    """One row per relative path, sorted."""
    started: datetime
    """UTC start."""
    finished: datetime
    """UTC end."""

    @property
    def ok(self) -> bool:
        """True when both folders hold the same files with the same bytes."""
        return all(row.status == "same" for row in self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per path: path, status, size_a, size_b, digest_a, digest_b."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [{**row.model_dump(), "path": row.path.as_posix()} for row in self.rows],
            columns=COMPARE_COLUMNS,
        )
        return frame

    def differences(self) -> pd.DataFrame:
        """Only the rows that are not `same`."""
        frame = self.to_frame()
        different: pd.DataFrame = frame[frame["status"] != "same"].reset_index(drop=True)
        return different

    def summary(self) -> dict[str, Any]:
        """Counts by status and the duration (s)."""
        found = Counter(row.status for row in self.rows)
        return {
            "ok": self.ok,
            **{status: found[status] for status in ("same", "different", "only_in_a",
                                                    "only_in_b")},
            "files": len(self.rows),
            "duration_s": round((self.finished - self.started).total_seconds(), 3),
        }


def compare_trees(
    a: Path, b: Path, *, algorithm: HashAlgorithm = "blake3", cancel: CancelToken | None = None,
    workers: int = WORKERS,
) -> FolderComparison:
    """Hash every file of `a` and `b` once and match them by relative path."""
    started = datetime.now(timezone.utc)
    sides = {"a": list_files(a), "b": list_files(b)}
    files = {
        f"{side}/{name}": FileToHash(root / name, info.st_size, (algorithm,))
        for side, root in (("a", a), ("b", b))
        for name, info in sides[side].items() if is_regular(info)
    }
    digests = hash_files(files, cancel=cancel, workers=workers)
    rows = []
    for name in sorted(sides["a"].keys() | sides["b"].keys()):
        info_a, info_b = sides["a"].get(name), sides["b"].get(name)
        digest_a = digests.get(f"a/{name}", {}).get(algorithm)
        digest_b = digests.get(f"b/{name}", {}).get(algorithm)
        rows.append(ComparedFile(
            path=PurePosixPath(os.fsdecode(name)), status=_status(info_a, info_b, digest_a,
                                                                  digest_b),
            size_a=info_a.st_size if info_a else None, size_b=info_b.st_size if info_b else None,
            digest_a=digest_a, digest_b=digest_b,
        ))
    return FolderComparison(a=a, b=b, algorithm=algorithm, rows=rows, started=started,
                            finished=datetime.now(timezone.utc))


def _status(info_a: os.stat_result | None, info_b: os.stat_result | None,
            digest_a: str | None, digest_b: str | None) -> CompareStatus:
    if info_b is None:
        return "only_in_a"
    if info_a is None:
        return "only_in_b"
    same = digest_a is not None and digest_a == digest_b and info_a.st_size == info_b.st_size
    return "same" if same else "different"

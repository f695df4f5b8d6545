"""Two folder trees hashed and matched by relative path: same, different, or only on one side.

Every file of both trees is read once from disk (page cache dropped), several at a time;
the two sides are matched through dicts, linear in the number of files.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from workbench.errors import Cancelled, HashingError, is_kind
from workbench.events import CancelToken, Outcome
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.tree import WORKERS, FileToHash, hash_files, is_regular, list_files
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

CompareStatus = Literal["same", "different", "only_in_a", "only_in_b"]
"""How one relative path compares between the two folders."""
COMPARE_COLUMNS = ["path", "status", "size_a", "size_b", "digest_a", "digest_b", "tool_record"]
"""Columns of a comparison table."""


class ComparedFile(Contract):
    """One relative path of either folder."""

    error_class: ClassVar = HashingError

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
    tool_record: bool = False
    """The file is one of the tools' own records (`_evidence/`, `ascmhl/`, `derived/`), not
    evidence: listed apart, it never decides `ok` (two copies from one read keep different
    run records)."""


class FolderComparison(Contract):
    """The result of `compare_folders`: every relative path of either folder."""

    error_class: ClassVar = HashingError

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
    outcome: Outcome = "completed"
    """`cancelled`: stopped on its token before every file was read; no rows."""

    @property
    def ok(self) -> bool:
        """True when both folders hold the same evidence files with the same bytes (the tools'
        own records aside); never when cancelled."""
        return self.outcome == "completed" and all(
            row.status == "same" for row in self.rows if not row.tool_record)

    def to_frame(self) -> pd.DataFrame:
        """One row per path: path, status, size_a, size_b (integers; empty when absent),
        digest_a, digest_b, tool_record."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [{**row.model_dump(), "path": row.path.as_posix()} for row in self.rows],
            columns=COMPARE_COLUMNS,
        )
        typed: pd.DataFrame = frame.astype(
            {"size_a": "Int64", "size_b": "Int64", "tool_record": bool})
        return typed

    def differences(self) -> pd.DataFrame:
        """Only the evidence rows that are not `same`."""
        frame = self.to_frame()
        different: pd.DataFrame = frame[
            (frame["status"] != "same") & ~frame["tool_record"]
        ].reset_index(drop=True)
        return different

    def tool_records(self) -> pd.DataFrame:
        """The tools' own records of either folder, which do not decide `ok`."""
        frame = self.to_frame()
        records: pd.DataFrame = frame[frame["tool_record"]].reset_index(drop=True)
        return records

    def summary(self) -> dict[str, Any]:
        """Counts of evidence files by status, of the tools' records, and the duration (s)."""
        evidence = [row for row in self.rows if not row.tool_record]
        found = Counter(row.status for row in evidence)
        return {
            "ok": self.ok,
            **{status: found[status] for status in ("same", "different", "only_in_a",
                                                    "only_in_b")},
            "files": len(evidence),
            "tool_record_files": len(self.rows) - len(evidence),
            "tool_records_differing": sum(
                row.status != "same" for row in self.rows if row.tool_record),
            "duration_s": round((self.finished - self.started).total_seconds(), 3),
        }


def compare_trees(
    a: Path, b: Path, *, algorithm: HashAlgorithm = "blake3", cancel: CancelToken | None = None,
    workers: int = WORKERS, set_aside: Collection[str] = (),
) -> FolderComparison:
    """Hash every file of `a` and `b` once and match them by relative path; files under a
    top-level folder named in `set_aside` are marked `tool_record`; a cancel returns no rows
    and the outcome `cancelled`."""
    started = datetime.now(timezone.utc)
    sides = {"a": list_files(a), "b": list_files(b)}
    files = {
        f"{side}/{name}": FileToHash(root / name, info.st_size, (algorithm,))
        for side, root in (("a", a), ("b", b))
        for name, info in sides[side].items() if is_regular(info)
    }
    try:
        digests = hash_files(files, cancel=cancel, workers=workers)
    except HashingError as exc:
        if not is_kind(exc, Cancelled):
            raise
        return FolderComparison(a=a, b=b, algorithm=algorithm, rows=[], started=started,
                                finished=datetime.now(timezone.utc), outcome="cancelled")
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
            tool_record=os.fsdecode(name).split("/", 1)[0] in set_aside,
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

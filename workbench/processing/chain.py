"""The chain of custody across tools: a source file checked against the record it arrived
with, right after the copy's one read."""

from __future__ import annotations

from workbench.errors import RecordMismatch
from workbench.processing.types import CopyPlan, PlannedFile


def record_mismatch(item: PlannedFile, hashes: dict[str, str]) -> RecordMismatch | None:
    """The first digest of the source's record that the bytes just read do not match."""
    for algorithm, expected in item.expected.items():
        actual = hashes.get(algorithm)
        if actual != expected:
            return RecordMismatch(
                record=str(item.record), file=str(item.source), algorithm=algorithm,
                expected=expected, actual=actual or "",
            )
    return None


def unvouched(plan: CopyPlan) -> bool:
    """Whether a source's record lists files the source lacks or could not be fully read:
    then the run cannot be `completed`, even if every file it copied is verified."""
    return any(record.missing or record.problems for record in plan.source_records)

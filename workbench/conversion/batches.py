"""Small copies made in batches: a worker copies several, makes them durable with one
file-system sync and reads each back, instead of one fsync and one pool round trip per clip.
A batch whose worker dies or overruns is made again one copy at a time, so a hostile clip
still costs only its own row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from workbench.conversion.record import discard
from workbench.conversion.remux.job import RemuxJob, RemuxResult
from workbench.events import CancelToken
from workbench.media.decode import Crashed, Failed, Failure, TimedOut, WorkerPool

BATCH_CLIPS = 16
"""Copies made at most in one batch."""
BATCH_BYTES = 32 << 20
"""Master bytes at most in one batch (a bigger clip is a batch of its own)."""

FAILURES = (Crashed, TimedOut, Failed)
"""Why a worker gave no result (pool failures are tuples too: told apart by type)."""
Pool = WorkerPool[tuple[RemuxJob, ...], tuple[RemuxResult, ...]]
"""The remux workers (`remux_batch`)."""


def batches(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """The jobs (indexes, in order) of each batch, for jobs of master `sizes` bytes: at most
    `BATCH_CLIPS` and `BATCH_BYTES` each, and small enough that every worker gets at least
    two (none idles while another finishes a long batch)."""
    most = max(1, min(BATCH_CLIPS, len(sizes) // (2 * workers)))
    found: list[list[int]] = []
    held = 0
    for index, size in enumerate(sizes):
        if not found or len(found[-1]) >= most or held + size > BATCH_BYTES:
            found.append([])
            held = 0
        found[-1].append(index)
        held += size
    return found


def run_batches(pool: Pool, jobs: Sequence[RemuxJob], sizes: Sequence[int],
                cancel: CancelToken | None) -> Iterator[tuple[int, RemuxResult | Failure]]:
    """(job index, its result or why there is none) for each job, in completion order; stops
    early when `cancel` is cancelled."""
    retry: list[int] = []
    groups = batches(sizes, pool.size)
    for number, outcome in pool.map([tuple(jobs[i] for i in group) for group in groups], cancel):
        group = groups[number]
        if not isinstance(outcome, FAILURES):
            yield from zip(group, outcome, strict=True)
        elif len(group) > 1:  # which clip did it? each again on its own
            for index in group:
                srt = jobs[index].srt_partial
                discard(Path(jobs[index].partial), Path(srt) if srt else None)
            retry += group
        else:
            yield group[0], outcome
    if retry and not (cancel is not None and cancel.cancelled):
        for number, outcome in pool.map([(jobs[i],) for i in retry], cancel):
            yield retry[number], outcome if isinstance(outcome, FAILURES) else outcome[0]


__all__ = ["BATCH_BYTES", "BATCH_CLIPS", "Pool", "batches", "run_batches"]

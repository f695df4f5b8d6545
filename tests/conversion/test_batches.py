"""How small copies are grouped into batches (one sync and one round trip per batch)."""

from __future__ import annotations

from workbench.conversion.batches import BATCH_BYTES, BATCH_CLIPS, batches


def test_every_worker_gets_two_batches_at_least() -> None:
    assert batches([1] * 7, 1) == [[0, 1, 2], [3, 4, 5], [6]]
    assert batches([1] * 3, 2) == [[0], [1], [2]]


def test_batches_are_bounded_in_clips_and_bytes() -> None:
    found = batches([1] * 1000, 2)
    assert max(map(len, found)) == BATCH_CLIPS and sum(map(len, found)) == 1000
    assert [i for batch in found for i in batch] == list(range(1000))
    big = BATCH_BYTES // 2 + 1
    assert batches([big, big, 1, BATCH_BYTES * 4, 1] * 8, 1)[:4] == [[0], [1, 2], [3], [4, 5]]

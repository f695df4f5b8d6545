"""Digests: every selected algorithm fed from the same buffer, blake3 always first."""

from __future__ import annotations

from collections.abc import Iterable

from workbench.hashing.algorithms import SPECS, Digest, HashAlgorithm


def new_digest(algorithm: HashAlgorithm) -> Digest:
    """A fresh hash object for `algorithm`."""
    return SPECS[algorithm].factory()


class MultiDigest:
    """Several algorithms updated from one buffer; `hexdigests()` maps name to hex."""

    def __init__(self, algorithms: Iterable[HashAlgorithm]) -> None:
        self._digests = {algorithm: new_digest(algorithm) for algorithm in algorithms}

    def update(self, data: memoryview) -> None:
        """Feed `data` to every algorithm (each releases the GIL on large buffers)."""
        for digest in self._digests.values():
            digest.update(data)

    def hexdigests(self) -> dict[str, str]:
        """Hex digest of everything fed so far, by algorithm."""
        return {name: digest.hexdigest() for name, digest in self._digests.items()}


def digest_groups(algorithms: Iterable[HashAlgorithm]) -> list[MultiDigest]:
    """blake3 and the xxHashes together, each slower algorithm alone: one thread each in a copy,
    so the slowest selected algorithm does not hold back the others."""
    chosen = list(algorithms)
    fast = [algorithm for algorithm in chosen if SPECS[algorithm].fast]
    return [MultiDigest(fast)] + [MultiDigest([alg]) for alg in chosen if not SPECS[alg].fast]


def merged_hexdigests(groups: Iterable[MultiDigest]) -> dict[str, str]:
    """The hex digests of every group, blake3 first."""
    return {name: hexdigest for group in groups for name, hexdigest in group.hexdigests().items()}

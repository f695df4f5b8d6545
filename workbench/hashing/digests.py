"""Digests: every selected algorithm fed from the same buffer, blake3 always first."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol, cast

import blake3
import xxhash

from workbench.hashing.algorithms import HashAlgorithm

_XXHASH = {"xxh128": xxhash.xxh128, "xxh64": xxhash.xxh64, "xxh3": xxhash.xxh3_64}


class Digest(Protocol):
    """The part of a hash object the copy uses."""

    def update(self, data: memoryview, /) -> object: ...

    def hexdigest(self) -> str: ...


def new_digest(algorithm: HashAlgorithm) -> Digest:
    """A fresh hash object for `algorithm`."""
    if algorithm == "blake3":
        return cast(Digest, blake3.blake3())
    if algorithm in _XXHASH:
        return cast(Digest, _XXHASH[algorithm]())
    return hashlib.new(algorithm)


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


_FAST: frozenset[HashAlgorithm] = frozenset({"blake3", "xxh128", "xxh64", "xxh3"})


def digest_groups(algorithms: Iterable[HashAlgorithm]) -> list[MultiDigest]:
    """blake3 and the xxHashes together, each slower algorithm alone: one thread each in a copy,
    so the slowest selected algorithm does not hold back the others."""
    chosen = list(algorithms)
    fast = [algorithm for algorithm in chosen if algorithm in _FAST]
    return [MultiDigest(fast)] + [MultiDigest([alg]) for alg in chosen if alg not in _FAST]


def merged_hexdigests(groups: Iterable[MultiDigest]) -> dict[str, str]:
    """The hex digests of every group, blake3 first."""
    return {name: hexdigest for group in groups for name, hexdigest in group.hexdigests().items()}

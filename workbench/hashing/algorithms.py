"""The one table of hash algorithms: how each is computed, how long its digest is, what other
tools call it, and whether it is fast. Every other list of algorithms in the package is a
lookup into `SPECS`; a new algorithm is one `HashAlgorithm` name and one `SPECS` entry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import partial
from typing import Literal, NamedTuple, Protocol, get_args

import blake3
import xxhash

from workbench.errors import FieldProblem, HashingError, ValidationError

HashAlgorithm = Literal["blake3", "xxh128", "md5", "sha1", "sha256", "sha512", "xxh64", "xxh3"]
"""Supported digests; blake3 is always computed. `xxh3` is XXH3-64, as ASC MHL names it."""
RecordFormat = Literal["coreutils", "bagit", "mhl", "hashdeep"]
"""Other tools' records whose names for an algorithm the table keeps."""


class Digest(Protocol):
    """The part of a hash object the package uses."""

    def update(self, data: memoryview, /) -> object: ...

    def hexdigest(self) -> str: ...


class AlgorithmSpec(NamedTuple):
    """One algorithm: its factory, digest length and names in other tools' records."""

    factory: Callable[[], Digest]
    """A fresh hash object."""
    hex_length: int
    """Hex digits of its digest (blake3 at its default 32-byte output)."""
    coreutils: tuple[str, ...] = ()
    """Names of its checksum lists (`md5sum`, `b3sum`: `*.md5`, `SHA256SUMS`, `x.b3`); the
    first, upper-cased, is its tag in the tagged form `MD5 (name) = digest`."""
    bagit: str | None = None
    """Its name in a bag's `manifest-<name>.txt`."""
    mhl: str | None = None
    """The ASC MHL hash element that carries it (None: the format has none, it travels in
    `<metadata>`); `c4` carries SHA-512 re-encoded, so it is read, never written, as sha512."""
    hashdeep: str | None = None
    """Its column in a hashdeep known file."""
    fast: bool = False
    """Fast enough to share a copy's hashing thread with blake3."""


SPECS: dict[HashAlgorithm, AlgorithmSpec] = {
    "blake3": AlgorithmSpec(blake3.blake3, 64, coreutils=("blake3", "b3"), fast=True),
    "xxh128": AlgorithmSpec(xxhash.xxh128, 32, mhl="xxh128", fast=True),
    "md5": AlgorithmSpec(partial(hashlib.new, "md5"), 32, coreutils=("md5",), bagit="md5",
                         mhl="md5", hashdeep="md5"),
    "sha1": AlgorithmSpec(partial(hashlib.new, "sha1"), 40, coreutils=("sha1",), bagit="sha1",
                          mhl="sha1", hashdeep="sha1"),
    "sha256": AlgorithmSpec(partial(hashlib.new, "sha256"), 64, coreutils=("sha256",),
                            bagit="sha256", hashdeep="sha256"),
    "sha512": AlgorithmSpec(partial(hashlib.new, "sha512"), 128, coreutils=("sha512",),
                            bagit="sha512", mhl="c4"),
    "xxh64": AlgorithmSpec(xxhash.xxh64, 16, mhl="xxh64", fast=True),
    "xxh3": AlgorithmSpec(xxhash.xxh3_64, 16, mhl="xxh3", fast=True),
}
"""Every supported algorithm, in `HashAlgorithm` order."""

ALGORITHMS: tuple[HashAlgorithm, ...] = get_args(HashAlgorithm)
"""Every supported algorithm, blake3 first."""
DEFAULT_ALGORITHMS: tuple[HashAlgorithm, ...] = ("blake3", "sha256")
"""Digests of a copy when nothing else is chosen: blake3 (fast, parallel) and SHA-256, the
digest courts and agencies recognise (SWGDE); MD5 and SHA-1 stay selectable."""
MHL_ALGORITHMS: tuple[HashAlgorithm, ...] = ("xxh128", "md5", "sha1", "xxh3", "xxh64")
"""The selectable digests ASC MHL has an element for (the reference tool checks only these);
xxh128 first, the one added when a selection holds none of them."""


def names_in(record: RecordFormat) -> dict[str, HashAlgorithm]:
    """Each name a record format gives an algorithm, and the algorithm (`b3` → blake3)."""
    found: dict[str, HashAlgorithm] = {}
    for algorithm, spec in SPECS.items():
        names = spec.coreutils if record == "coreutils" else (getattr(spec, record),)
        found.update((name, algorithm) for name in names if name is not None)
    return found


def normalise_algorithms(algorithms: Iterable[str] | None) -> list[HashAlgorithm]:
    """blake3 first, then the others in the given order, once each; unknown names refused."""
    chosen: list[HashAlgorithm] = ["blake3"]
    for index, name in enumerate(algorithms or ()):
        algorithm = name.lower().strip()
        if algorithm not in ALGORITHMS:
            problem = FieldProblem(
                field=f"algorithms.{index}",
                message=f"unknown hash algorithm {name!r}; choose from {', '.join(ALGORITHMS)}",
            )
            raise HashingError(ValidationError.of([problem], actual=name))
        if algorithm not in chosen:
            chosen.append(algorithm)
    return chosen


def with_mhl_digest(algorithms: Iterable[HashAlgorithm]) -> list[HashAlgorithm]:
    """`algorithms`, plus xxh128 when none of them is one ASC MHL can hold, so that
    `ascmhl-debug verify` checks every file of a case folder whatever was chosen."""
    chosen = list(algorithms)
    if not set(chosen) & set(MHL_ALGORITHMS):
        chosen.append(MHL_ALGORITHMS[0])
    return chosen

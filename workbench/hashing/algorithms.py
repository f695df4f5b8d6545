"""The digests a copy or an audit can compute, by name, and how a chosen list is normalised."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

from workbench.errors import FieldProblem, ProcessingError, ValidationError

HashAlgorithm = Literal["blake3", "xxh128", "md5", "sha1", "sha256", "sha512", "xxh64", "xxh3"]
"""Supported digests; blake3 is always computed. `xxh3` is XXH3-64, as ASC MHL names it."""
ALGORITHMS: tuple[HashAlgorithm, ...] = get_args(HashAlgorithm)
"""Every supported algorithm, blake3 first."""
DEFAULT_ALGORITHMS: tuple[HashAlgorithm, ...] = ("blake3", "xxh128")
"""Digests of a copy when nothing else is chosen."""


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
            raise ProcessingError(ValidationError.of([problem], actual=name))
        if algorithm not in chosen:
            chosen.append(algorithm)
    return chosen

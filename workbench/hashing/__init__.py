"""Digests and the low-level file steps of a verified copy; no knowledge of cases or records.

Every file step raises `OSError` (or `ProcessingError(Cancelled)`); callers type the errors.
"""

from workbench.hashing.algorithms import (
    ALGORITHMS,
    DEFAULT_ALGORITHMS,
    HashAlgorithm,
    normalise_algorithms,
)

__all__ = ["ALGORITHMS", "DEFAULT_ALGORITHMS", "HashAlgorithm", "normalise_algorithms"]

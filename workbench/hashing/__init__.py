"""Digests and the low-level file steps of a verified copy; no knowledge of cases or records.

Every file step raises `OSError` (or `HashingError(Cancelled)`); callers type the errors.
`compare_folders` is the one command: two trees hashed and matched by relative path.
"""

from workbench.hashing.algorithms import (
    ALGORITHMS,
    DEFAULT_ALGORITHMS,
    MHL_ALGORITHMS,
    HashAlgorithm,
    normalise_algorithms,
)
from workbench.hashing.commands import compare_folders
from workbench.hashing.compare import ComparedFile, CompareStatus, FolderComparison

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHMS",
    "MHL_ALGORITHMS",
    "CompareStatus",
    "ComparedFile",
    "FolderComparison",
    "HashAlgorithm",
    "compare_folders",
    "normalise_algorithms",
]

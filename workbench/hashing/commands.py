"""Hashing commands: compare two folder trees. Thin: check, then call."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from workbench.errors import FieldProblem, HashingError, PathNotFound, ValidationError
from workbench.events import CancelToken
from workbench.hashing.algorithms import normalise_algorithms
from workbench.hashing.compare import FolderComparison, compare_trees

__all__ = ["compare_folders"]


def compare_folders(
    a: str | os.PathLike[str],
    b: str | os.PathLike[str],
    *,
    algorithm: str = "blake3",
    cancel: CancelToken | None = None,
    set_aside: Collection[str] = (),
) -> FolderComparison:
    """Hash both folders from disk and match them by relative path: same / different /
    only_in_a / only_in_b; files under the top-level folders in `set_aside` are listed apart
    and do not decide `ok`. A cancel returns the comparison with outcome `cancelled`."""
    folders = [Path(os.path.abspath(folder)) for folder in (a, b)]  # noqa: PTH100
    for folder in folders:
        if not folder.is_dir():
            raise HashingError(PathNotFound(path=str(folder)))
    if folders[0] == folders[1]:
        problem = FieldProblem(field="b", message="is the same folder as a")
        raise HashingError(ValidationError.of([problem], actual=str(folders[1])))
    chosen = normalise_algorithms([algorithm])[-1]
    return compare_trees(folders[0], folders[1], algorithm=chosen, cancel=cancel,
                         set_aside=set_aside)

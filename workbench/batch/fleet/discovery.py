"""Finding the case folders of an evidence store: every folder with an evidence record.

A case folder is a folder holding `_evidence/manifest.blake3`; the walk does not descend
into it (nor follow symlinks), so evidence that itself holds case folders is not audited
twice. A folder that cannot be listed is reported, never skipped in silence.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import BatchError, ErrorPayload, PathNotFound, payload_from_os_error
from workbench.evidence.layout import manifest_path
from workbench.paths import absolute


@dataclass
class Store:
    """What a walk of the roots found."""

    roots: list[Path]
    case_folders: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, ErrorPayload]] = field(default_factory=list)
    """Folders that could not be listed, with why."""


def find_case_folders(roots: Sequence[str | os.PathLike[str]], pattern: str | None = None
                      ) -> Store:
    """Every case folder under `roots`, sorted; `pattern` (shell-style, `*` crossing `/`)
    keeps those whose path relative to their root matches it.

    Raises `BatchError` (`PathNotFound`) when a root is not a folder.
    """
    store = Store([absolute(root) for root in roots])
    for root in store.roots:
        if not root.is_dir():
            raise BatchError(PathNotFound(path=str(root)))
    found: set[Path] = set()
    for root in store.roots:
        for folder in _walk(root, store):
            relative = folder.relative_to(root).as_posix()
            if pattern is None or fnmatch.fnmatchcase(relative, pattern):
                found.add(folder)
    store.case_folders = sorted(found)
    return store


def _walk(root: Path, store: Store) -> list[Path]:
    cases = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            if manifest_path(folder, "blake3").is_file():
                cases.append(folder)
                continue
            with os.scandir(folder) as entries:
                stack.extend(Path(entry.path) for entry in entries
                             if entry.is_dir(follow_symlinks=False))
        except OSError as exc:
            store.unreadable.append((folder, payload_from_os_error(exc, str(folder), "list")))
    return cases

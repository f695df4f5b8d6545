"""Paths as people type them: `~` expanded, made absolute, symlinks kept."""

from __future__ import annotations

import os
from pathlib import Path


def expand_user(path: str | os.PathLike[str]) -> Path:
    """`path` with a leading `~` or `~user` expanded; left as it is when that home is unknown
    (`Path.expanduser` raises instead, for `~0` and the like)."""
    return Path(os.path.expanduser(path))  # noqa: PTH111 - Path.expanduser raises


def absolute(path: str | os.PathLike[str]) -> Path:
    """`path` made absolute and normalised (`..` removed) without following symlinks."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - Path.resolve() would follow symlinks

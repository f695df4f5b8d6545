"""Shared helpers for template tests: a sample case and the path-safety check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest
from pathvalidate import is_valid_filename

from workbench.cases import CaseData
from workbench.templates import ResolvedPath


@pytest.fixture
def case() -> CaseData:
    return CaseData(
        occurrence="2026-004512", business="Corner Store", location="123 Main St",
        video_start="2026-11-20T14:00", video_end="2026-11-20T15:30",
    )


def assert_inside(resolved: ResolvedPath, root: Path) -> None:
    """The resolved path is relative, portable part by part, and stays inside `root`."""
    relative = resolved.relative
    assert isinstance(relative, PurePosixPath) and not relative.is_absolute()
    kept = [level.value for level in resolved.levels if level.value is not None]
    assert list(relative.parts) == kept
    for part in relative.parts:
        assert part not in ("", ".", "..")
        assert is_valid_filename(part, platform="universal"), repr(part)
        assert len(part.encode("utf-8")) <= 255
    assert (root / relative).resolve().is_relative_to(root.resolve())


InsideCheck = Callable[[ResolvedPath, Path], None]


@pytest.fixture(name="assert_inside")
def assert_inside_fixture() -> InsideCheck:
    """`assert_inside(resolved, root)` for tests (conftest modules are not importable)."""
    return assert_inside

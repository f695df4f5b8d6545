"""Fixtures for export tests: a verified case folder and a place for its packages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.processing import run_copy

PlanFor = Callable[..., object]


@pytest.fixture
def case_dir(source: Path, plan_for: PlanFor) -> Path:
    """A case folder made by a verified copy of the shared small export."""
    report = run_copy(plan_for([source]))  # type: ignore[arg-type]
    assert report.outcome == "completed"
    return report.plan.destination


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "exports"


def leftovers(folder: Path) -> list[str]:
    """Everything under `folder` (nothing, after a failed export)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) \
        if folder.exists() else []


@pytest.fixture(name="leftovers")
def leftovers_fixture() -> Callable[[Path], list[str]]:
    return leftovers

"""Fixtures for the headless widget tests: a case, fixed-bytes sources, a destination."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.templates.types import Template, TemplateLevel


def fixed_bytes(seed: str, size: int) -> bytes:
    """`size` deterministic bytes (a SHAKE-128 stream of `seed`)."""
    return hashlib.shake_128(seed.encode()).digest(size)


@pytest.fixture
def case() -> CaseData:
    return CaseData(occurrence="2026-004512", business="Corner Store", location="123 Main St",
                    video_start="2026-11-20T14:00", video_end="2026-11-20T15:30")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A small recorder export: two clips and a log in a sub-folder."""
    root = tmp_path / "export"
    (root / "logs").mkdir(parents=True)
    (root / "cam1.mp4").write_bytes(fixed_bytes("cam1", 300_000))
    (root / "cam2.mp4").write_bytes(fixed_bytes("cam2", 200_000))
    (root / "logs" / "dvr.log").write_bytes(b"export ok\n")
    return root


@pytest.fixture
def destination(tmp_path: Path) -> Path:
    return tmp_path / "cases"


@pytest.fixture
def template() -> Template:
    return Template(id="by-occurrence", name="By occurrence", levels=[
        TemplateLevel(pattern="{occurrence}"),
        TemplateLevel(pattern="{business}", fallback="unknown business"),
    ])

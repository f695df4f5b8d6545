"""Shared footage fixtures: the sample export, its probe, the demo case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.media import MediaReport, probe_media
from workbench.samples import make_sample_evidence


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample export (do not write into it)."""
    return make_sample_evidence(tmp_path_factory.mktemp("sample") / "DVR_EXPORT")


@pytest.fixture(scope="session")
def demo_case() -> CaseData:
    return CaseData(occurrence="2026-004512", business="Corner Store",
                    video_start="2026-11-20T14:00", video_end="2026-11-20T15:30",
                    dvr_offset="+00:04:30")


@pytest.fixture(scope="session")
def sample_report(sample_dir: Path, demo_case: CaseData) -> MediaReport:
    """The probe of the sample export (probed once for the session)."""
    return probe_media(sample_dir, case=demo_case)


@pytest.fixture
def clip(sample_dir: Path) -> Callable[[str], bytes]:
    """`clip(relative)`: the bytes of one sample clip."""
    return lambda relative: (sample_dir / relative).read_bytes()

"""Shared fixtures of the conversion tests: a verified case folder of the sample export (made
once), copied afresh for each test that writes into it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.processing import plan_copy, run_copy
from workbench.samples import make_sample_evidence
from workbench.templates import Template, TemplateLevel

CaseFactory = Callable[[], Path]


@pytest.fixture(scope="session")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample export copied (verified) into a case folder with a 4 min 30 s DVR offset;
    do not write into it (use `case_dir`)."""
    work = tmp_path_factory.mktemp("conversion")
    export = make_sample_evidence(work / "usb" / "DVR_EXPORT")
    case = CaseData(occurrence="2026-004512", video_start="2026-11-20T14:00",
                    video_end="2026-11-20T15:30", dvr_offset="+00:04:30")
    template = Template(id="by-occurrence", name="By occurrence",
                        levels=[TemplateLevel(pattern="{occurrence}")])
    report = run_copy(plan_copy([export], case, template, work / "cases"))
    assert report.outcome == "completed"
    return report.plan.destination


@pytest.fixture
def case_dir(sample_case: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample case folder (record and all) for one test."""
    return Path(shutil.copytree(sample_case, tmp_path / "case", symlinks=True))

"""A case folder's footage analysis lives in its evidence record (`_evidence/media/`):
never beside the footage, never in a manifest; the audit still passes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from media_helpers import snapshot

from workbench.cases import CaseData
from workbench.errors import MediaError
from workbench.events import CancelToken
from workbench.evidence import verify_case
from workbench.media import media_dir, probe_media, stored_media
from workbench.media.keyframes import read_keyframes
from workbench.processing import plan_copy, run_copy
from workbench.templates import Template, TemplateLevel


@pytest.fixture
def case_dir(tmp_path: Path, sample_dir: Path, demo_case: CaseData) -> Path:
    template = Template(id="flat", name="Flat", levels=[TemplateLevel(pattern="{occurrence}")])
    report = run_copy(plan_copy([sample_dir], demo_case, template, tmp_path / "cases"))
    assert report.outcome == "completed"
    return report.plan.destination


def test_the_analysis_is_stored_in_the_record(case_dir: Path) -> None:
    footage = {k: v for k, v in snapshot(case_dir).items() if not k.startswith("_evidence/")}
    manifests = {k: v for k, v in snapshot(case_dir).items() if "manifest" in k}
    report = probe_media(case_dir)  # the case comes from the folder's own custody log
    assert report.case is not None and report.case.dvr_offset is not None
    after = snapshot(case_dir)
    assert {k: v for k, v in after.items() if not k.startswith("_evidence/")} == footage
    assert {k: v for k, v in after.items() if "manifest" in k} == manifests
    derived = sorted(k for k in after if k.startswith("_evidence/media/"))
    assert derived == ["_evidence/media/keyframes.zip", "_evidence/media/media.json"]
    assert report.keyframes == media_dir(case_dir) / "keyframes.zip"
    with zipfile.ZipFile(report.keyframes) as archive:  # any unzip tool opens it
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(
            row.thumbnail for row in report.rows if row.thumbnail)
        assert len(archive.namelist()) == 6  # seven clips, one without a keyframe
    assert verify_case(case_dir).ok
    assert not any("media" in line for line in
                   (case_dir / "_evidence" / "manifest.blake3").read_text().splitlines())
    again = stored_media(case_dir)
    assert again is not None and again.rows == report.rows and again.case == report.case


def test_no_stored_analysis_and_a_damaged_one(case_dir: Path) -> None:
    assert stored_media(case_dir) is None
    path = media_dir(case_dir) / "media.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"rows": "nonsense"}), encoding="utf-8")
    with pytest.raises(MediaError) as caught:
        stored_media(case_dir)
    assert caught.value.payload.type == "CorruptFile"


def test_a_moved_case_folder_still_finds_its_keyframes(case_dir: Path) -> None:
    probe_media(case_dir)
    moved = case_dir.parent / "moved-to-the-server"
    case_dir.rename(moved)
    again = stored_media(moved)
    assert again is not None and again.root == moved
    assert all(row.path.is_file() for row in again.rows)
    assert again.keyframes == media_dir(moved) / "keyframes.zip" and again.keyframes.is_file()
    tiles = read_keyframes(again.keyframes, [row.thumbnail for row in again.rows])
    assert sum(tile is not None for tile in tiles) == 6


def test_a_cancelled_analysis_leaves_the_record_as_it_was(case_dir: Path) -> None:
    token = CancelToken()
    token.cancel()
    report = probe_media(case_dir, cancel=token)
    assert report.outcome == "cancelled" and report.keyframes is None
    assert {row.problem.type for row in report.rows if row.problem} == {"Cancelled"}
    assert not media_dir(case_dir).exists() or not any(media_dir(case_dir).iterdir())
    assert stored_media(case_dir) is None

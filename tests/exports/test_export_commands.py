"""`export_case` refuses what it cannot export with a typed error, before writing anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.errors import (
    ExportError,
    NotACaseFolder,
    NotFound,
    PathNotFound,
    Unsupported,
    ValidationError,
    is_kind,
)
from workbench.exports import export_case


def test_an_unknown_format_or_token_is_refused(case_dir: Path, out_dir: Path) -> None:
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "tar", out_dir)  # type: ignore[arg-type]
    assert isinstance(caught.value.payload, ValidationError)
    assert caught.value.payload.field == "format"
    with pytest.raises(ExportError, match="cancel"):
        export_case(case_dir, "zip", out_dir, cancel=True)  # type: ignore[arg-type]
    assert not out_dir.exists()


def test_a_folder_that_is_not_a_case_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as missing:
        export_case(tmp_path / "nowhere", "zip", tmp_path / "out")
    assert isinstance(missing.value.payload, PathNotFound)
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(ExportError) as unrecorded:
        export_case(plain, "bagit", tmp_path / "out")
    assert is_kind(unrecorded.value, NotACaseFolder)
    assert "is not a case folder" in str(unrecorded.value)


def test_a_record_without_case_data_is_refused(case_dir: Path, out_dir: Path) -> None:
    (case_dir / "_evidence" / "custody.jsonl").unlink()
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert isinstance(caught.value.payload, NotFound)
    assert caught.value.payload.kind == "case data"


def test_a_symlink_in_the_case_folder_is_refused(case_dir: Path, out_dir: Path) -> None:
    (case_dir / "export" / "link.dav").symlink_to("/etc/hostname")
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert isinstance(caught.value.payload, Unsupported)
    assert caught.value.payload.kind == "symlink"


def test_a_deleted_template_falls_back_to_the_default_name_and_says_so(
    case_dir: Path, out_dir: Path
) -> None:
    """The case's template (the fixture's, never saved) is gone: the default name is used
    and the run record says why."""
    report = export_case(case_dir, "zip", out_dir)
    record = (case_dir / "_evidence" / report.record).read_text()
    assert report.path.name == "2026-004512_evidence.zip"
    assert "template 'by-occurrence' is gone" in record
    shutil.rmtree(out_dir)

"""`source_volume` / `list_volumes`: each source's volume, and advice when it is writable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from workbench.errors import ProcessingError
from workbench.evidence import SourceVolume, Volume, list_volumes, source_volume
from workbench.hashing.platform.volumes import volume_of


def test_source_volume_is_the_volume_of_the_absolute_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "export").mkdir()
    monkeypatch.chdir(tmp_path)
    found = source_volume("export")
    assert found.source == tmp_path / "export"
    assert Volume.model_validate(found.model_dump(exclude={"source"})) == volume_of(tmp_path)


def test_a_read_only_source_needs_no_advice(tmpfs: Any) -> None:
    found = source_volume(tmpfs.mount("stick", "ro"))
    assert found.read_only is True
    assert found.access == "read-only"
    assert found.advisory is None
    assert found.summary().startswith(f"{found.mount_point} (tmpfs, ")
    assert found.summary().endswith(", read-only)")


def test_a_writable_source_gets_advice_not_an_error(tmpfs: Any) -> None:
    point = tmpfs.mount("stick", "rw")
    found = source_volume(point)
    assert found.read_only is False
    assert found.advisory is not None
    assert str(point) in found.advisory
    assert "write blocker" in found.advisory and "read-only" in found.advisory


def test_an_unknown_read_only_state_also_gets_advice(tmp_path: Path) -> None:
    found = SourceVolume(source=tmp_path, mount_point=Path("/"), read_only=None)
    assert found.advisory is not None and "does not report" in found.advisory
    assert found.access == ""
    assert found.summary() == "/ ()"


def test_the_summary_names_every_fact_the_os_gave() -> None:
    found = SourceVolume(
        source=Path("E:\\DVR"), mount_point=Path("E:\\"), device="\\\\?\\Volume{x}\\",
        file_system="exFAT", read_only=True, label="DVR_EXPORT", uuid="6f1d", serial="1A2B-3C4D",
        removable=True, drive="SanDisk Ultra", drive_serial="4C53", total_bytes=64_000_000_000,
    )
    assert found.summary() == (
        "E:\\ (exFAT, label DVR_EXPORT, UUID 6f1d, serial 1A2B-3C4D, SanDisk Ultra, "
        "drive serial 4C53, 64,000,000,000 bytes, removable, read-only)"
    )


def test_a_missing_source_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ProcessingError) as raised:
        source_volume(tmp_path / "unplugged")
    assert raised.value.payload.type == "PathNotFound"
    assert raised.value.payload.path == str(tmp_path / "unplugged")  # type: ignore[union-attr]


def test_an_unreadable_volume_is_a_typed_error(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(path: str) -> Volume:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr("workbench.hashing.platform.volumes._identify", denied)
    with pytest.raises(ProcessingError) as raised:
        source_volume(tmp_path)
    assert raised.value.payload.type == "PermissionDenied"


def test_list_volumes_holds_the_volume_of_the_root() -> None:
    listed = list_volumes()
    assert all(isinstance(volume, Volume) for volume in listed)
    root = volume_of(Path(os.sep).resolve())
    assert root.mount_point in {volume.mount_point for volume in listed}

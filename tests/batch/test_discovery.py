"""Finding the case folders of a store, and the fleet report's page: no cluster needed."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import pytest

import workbench as wb
from workbench.batch.fleet import discovery
from workbench.batch.fleet.discovery import find_case_folders
from workbench.errors import PathNotFound, PermissionDenied
from workbench.evidence import VerifyRow


def case_folder(path: Path) -> Path:
    (path / "_evidence").mkdir(parents=True)
    (path / "_evidence" / "manifest.blake3").write_text("")
    return path


def test_every_case_folder_is_found_and_none_inside_another(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = case_folder(store / "2026-0001" / "Corner Store" / "undated")
    case_folder(first / "DVR_EXPORT" / "copied case inside the evidence")
    second = case_folder(store / "2026-0002")
    (store / "2026-0003" / "_evidence").mkdir(parents=True)  # a record without a manifest
    (store / "loop").symlink_to(store)
    (tmp_path / "elsewhere").mkdir()
    (store / "link").symlink_to(case_folder(tmp_path / "elsewhere" / "case"))

    found = find_case_folders([store])

    assert found.case_folders == [first, second]
    assert found.unreadable == []


def test_a_pattern_keeps_the_matching_case_folders(tmp_path: Path) -> None:
    kept = case_folder(tmp_path / "2026" / "2026-0001")
    case_folder(tmp_path / "2025" / "2025-0001")

    assert find_case_folders([tmp_path], "2026/*").case_folders == [kept]
    assert find_case_folders([tmp_path, tmp_path / "2026"], "*0001").case_folders == [
        tmp_path / "2025" / "2025-0001", kept]


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ok = case_folder(tmp_path / "a" / "case")
    locked = tmp_path / "b"
    locked.mkdir()
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    found = find_case_folders([tmp_path])

    assert found.case_folders == [ok]
    assert found.unreadable == [(locked, PermissionDenied(path=str(locked), operation="list"))]


def test_a_root_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(wb.BatchError) as caught:
        find_case_folders([tmp_path / "file"])
    assert caught.value.payload == PathNotFound(path=str(tmp_path / "file"))


def test_the_fleet_report_escapes_every_name_and_highlights_failures() -> None:
    hostile = Path("/store/<script>alert(1)</script> & \"co\"")
    now = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)
    report = wb.FleetReport(
        roots=[Path("/store")], scheduler="tcp://10.0.0.5:8786", workers=4, started=now,
        finished=now, rows=[
            wb.FleetRow(case_folder=hostile, ok=False, modified=1, problems=[VerifyRow(
                path=PurePosixPath("<img src=x onerror=alert(2)>.dav"), status="modified",
                algorithm="blake3")]),
            wb.FleetRow(case_folder=Path("/store/fine"), ok=True, ok_files=3),
        ],
    )

    page = wb.fleet_html(report)

    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;" in page
    assert "modified: &lt;img src=x onerror=alert(2)&gt;.dav" in page
    assert page.count('<tr class="failed">') == 2 and "PROBLEMS FOUND" in page
    assert report.to_frame()["case_folder"].tolist() == [str(hostile), "/store/fine"]


def test_the_fleet_report_is_written_atomically(tmp_path: Path) -> None:
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    report = wb.FleetReport(roots=[tmp_path], scheduler="", workers=0, rows=[], started=now,
                            finished=now)

    path = wb.write_fleet_report(report, tmp_path / "reports" / "fleet.html")

    assert "no case folder found" in path.read_text()
    assert [p.name for p in path.parent.iterdir()] == ["fleet.html"]
    with pytest.raises(wb.BatchError):
        wb.write_fleet_report(report, path / "inside-a-file.html")

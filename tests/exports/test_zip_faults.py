"""Whatever goes wrong, a ZIP export leaves no archive, no .partial, no sidecar behind, says
so in a typed error, and logs the failed attempt in the case's custody log."""

from __future__ import annotations

import errno
import itertools
import json
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.errors import (
    AuditFailed,
    Conflict,
    DiskFull,
    ExportError,
    HashMismatch,
    ValidationError,
)
from workbench.events import CancelToken
from workbench.evidence import ProgressEvent
from workbench.exports import export_case
from workbench.hashing import partial, platform, readback, regions
from workbench.hashing.platform import Regions

Leftovers = Callable[[Path], list[str]]


def last_custody(case_dir: Path) -> dict[str, object]:
    lines = (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()
    entry: dict[str, object] = json.loads(lines[-1])
    return entry


def flip_second_member(path: Path) -> None:
    """Flip one byte inside the second member's data on disk, as a bad disk would."""
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[1]
    with path.open("r+b") as handle:
        handle.seek(info.header_offset + 30 + len(info.filename) + 20 + 10)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))
        handle.flush()
        os.fsync(handle.fileno())


def test_a_member_altered_on_disk_before_its_region_is_read_back_is_caught(
    case_dir: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch, leftovers: Leftovers
) -> None:
    if platform.SYSTEM.regions is None:  # looked up when run: the portable profile removes it
        pytest.skip("no region read-back here")
    real = regions.drop_range
    flipped: list[Path] = []

    def tamper(found: Regions, fd: int, path: Path, offset: int, length: int) -> None:
        if path.name.endswith(".zip.partial") and not flipped:
            flipped.append(path)
            flip_second_member(path)
        real(found, fd, path, offset, length)

    monkeypatch.setattr(regions, "drop_range", tamper)
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert flipped
    assert isinstance(caught.value.payload, HashMismatch)
    assert caught.value.payload.algorithm in ("crc32", "blake3")  # of the bytes read back
    assert leftovers(out_dir) == []
    assert last_custody(case_dir)["outcome"] == "failed"


def test_without_region_read_back_a_member_altered_before_the_check_is_caught(
    case_dir: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch, leftovers: Leftovers
) -> None:
    """Where the platform cannot read regions back, the whole archive is read back once it
    is written: that read sees the damage too."""
    monkeypatch.setattr(platform.SYSTEM, "regions", None)
    real = readback.open_cold
    flipped: list[Path] = []

    def tamper(path: Path) -> object:
        if path.name.endswith(".zip.partial") and not flipped:
            flipped.append(path)
            flip_second_member(path)
        return real(path)

    monkeypatch.setattr(readback, "open_cold", tamper)
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert isinstance(caught.value.payload, HashMismatch)
    assert caught.value.payload.algorithm in ("crc32", "blake3")
    assert leftovers(out_dir) == []
    assert last_custody(case_dir)["outcome"] == "failed"


def test_the_archive_is_read_back_while_it_is_written(
    case_dir: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every byte of the archive, its central directory included, is flushed, dropped and
    read back region by region; the read-back's digest is the sidecar's."""
    if platform.SYSTEM.regions is None:
        pytest.skip("no region read-back here")
    real = regions.drop_range
    dropped: list[tuple[int, int]] = []

    def record(found: Regions, fd: int, path: Path, offset: int, length: int) -> None:
        if path.name.endswith(".zip.partial"):
            dropped.append((offset, length))
        real(found, fd, path, offset, length)

    monkeypatch.setattr(regions, "drop_range", record)
    report = export_case(case_dir, "zip", out_dir)
    assert report.verified
    covered = sorted(dropped)
    assert covered[0][0] == 0 and sum(length for _, length in covered) == report.size
    assert all(a + n == b for (a, n), (b, _) in itertools.pairwise(covered))
    assert report.digests["blake3"] == subprocess.run(
        ["b3sum", "--no-names", str(report.path)], capture_output=True, text=True,
        check=True).stdout.strip()


def test_disk_full_mid_archive_leaves_nothing(
    case_dir: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch, leftovers: Leftovers
) -> None:
    real = partial.write_all
    written = [0]

    def fill_up(fd: int, data: memoryview) -> None:
        if written[0] + len(data) > 40_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        written[0] += len(data)
        real(fd, data)

    monkeypatch.setattr(partial, "write_all", fill_up)
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert isinstance(caught.value.payload, DiskFull)
    assert caught.value.payload.path.endswith(".zip.partial")
    assert leftovers(out_dir) == []
    entry = last_custody(case_dir)
    assert entry["outcome"] == "failed" and str(entry["error"]).startswith("DiskFull")


def test_cancel_stops_and_leaves_nothing(
    case_dir: Path, out_dir: Path, leftovers: Leftovers
) -> None:
    token = CancelToken()

    def cancel_early(event: ProgressEvent) -> None:
        token.cancel()

    token.cancel()
    report = export_case(case_dir, "zip", out_dir, cancel=token, on_progress=cancel_early)
    assert report.outcome == "cancelled" and not report.verified
    assert leftovers(out_dir) == []
    assert last_custody(case_dir)["outcome"] == "cancelled"


def test_an_existing_archive_or_sidecar_is_never_replaced(
    case_dir: Path, out_dir: Path
) -> None:
    out_dir.mkdir()
    (out_dir / "2026-004512_evidence.zip.sha256").write_text("mine\n")
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert isinstance(caught.value.payload, Conflict)
    assert (out_dir / "2026-004512_evidence.zip.sha256").read_text() == "mine\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["2026-004512_evidence.zip.sha256"]


def test_a_leftover_partial_is_a_conflict(case_dir: Path, out_dir: Path) -> None:
    out_dir.mkdir()
    (out_dir / "2026-004512_evidence.zip.partial").write_bytes(b"interrupted")
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    assert isinstance(caught.value.payload, Conflict)
    assert "interrupted export" in caught.value.payload.detail
    assert (out_dir / "2026-004512_evidence.zip.partial").read_bytes() == b"interrupted"


def test_an_output_folder_inside_the_case_is_refused(case_dir: Path) -> None:
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", case_dir / "exports")
    assert isinstance(caught.value.payload, ValidationError)
    assert not (case_dir / "exports").exists()


def spoil(case_dir: Path) -> None:
    """One file altered, one removed, one added after the copy."""
    (case_dir / "export" / "info.txt").write_text("edited\n")
    (case_dir / "export" / "CAM02" / "c.dav").unlink()
    (case_dir / "export" / "extra.txt").write_text("not evidence\n")


def test_a_case_whose_audit_fails_is_refused_naming_the_files(
    case_dir: Path, out_dir: Path, leftovers: Leftovers
) -> None:
    spoil(case_dir)
    with pytest.raises(ExportError) as caught:
        export_case(case_dir, "zip", out_dir)
    payload = caught.value.payload
    assert isinstance(payload, AuditFailed)
    assert payload.files == ["export/CAM02/c.dav (missing)", "export/info.txt (modified)",
                             "export/extra.txt (extra)"]
    assert leftovers(out_dir) == []
    events = [json.loads(line)["event"] for line in
              (case_dir / "_evidence" / "custody.jsonl").read_text().splitlines()]
    assert events[-2:] == ["audit", "export"]


def test_allow_failed_exports_with_the_problems_in_the_archive_record(
    case_dir: Path, out_dir: Path
) -> None:
    spoil(case_dir)
    report = export_case(case_dir, "zip", out_dir, allow_failed=True)
    assert report.verified
    assert {(row.path.as_posix(), row.status) for row in report.audit_problems} == {
        ("export/CAM02/c.dav", "missing"), ("export/extra.txt", "extra"),
        ("export/info.txt", "modified")}
    with zipfile.ZipFile(report.path) as archive:
        record = json.loads(archive.read(f"{case_dir.name}/_evidence/{report.record}"))
        assert archive.read(f"{case_dir.name}/export/info.txt") == b"edited\n"
    assert {problem["path"] for problem in record["audit_problems"]} == {
        "export/CAM02/c.dav", "export/extra.txt", "export/info.txt"}
    assert last_custody(case_dir)["outcome"] == "completed_with_audit_problems"

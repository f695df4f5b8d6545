"""A member over 4 GiB: zip64 records, checked by Debian's unzip, with flat memory."""

from __future__ import annotations

import resource
import subprocess
import zipfile
from pathlib import Path

import pytest

from workbench.exports import export_case
from workbench.processing import run_copy

SIZE = 5 << 30


@pytest.mark.slow
def test_a_five_gigabyte_member_is_zip64_and_verified(tmp_path: Path, plan_for) -> None:
    source = tmp_path / "huge"
    source.mkdir()
    with (source / "huge.dav").open("wb") as handle:
        handle.truncate(SIZE)  # sparse: 5 GiB of zeros, written for real into the copy and zip
        handle.seek(SIZE - 4)
        handle.write(b"tail")
    case_dir = run_copy(plan_for([source])).plan.destination
    (source / "huge.dav").unlink()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = export_case(case_dir, "zip", tmp_path / "out")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert report.verified and report.size > SIZE
    assert grown_mib < 100, f"peak RSS grew by {grown_mib:.0f} MiB"
    with zipfile.ZipFile(report.path) as archive:
        info = archive.getinfo(f"{case_dir.name}/huge/huge.dav")
        assert info.file_size == SIZE and info.header_offset < 4 << 30
        assert b"\x01\x00" in info.extra[:2]  # the zip64 extended-information field
    unzip = subprocess.run(["unzip", "-tq", str(report.path)], capture_output=True, text=True)
    assert unzip.returncode == 0, unzip.stdout + unzip.stderr

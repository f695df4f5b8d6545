"""A multi-GB (sparse) file: copied, verified, with flat memory."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from workbench.processing import run_copy


@pytest.mark.slow
def test_a_multi_gigabyte_file_is_verified_with_flat_memory(tmp_path: Path, plan_for) -> None:
    source = tmp_path / "huge"
    source.mkdir()
    with (source / "huge.dav").open("wb") as handle:
        handle.truncate(2 << 30)  # sparse: 2 GiB of zeros, written for real at the copy
        handle.seek((2 << 30) - 4)
        handle.write(b"tail")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = run_copy(plan_for([source]))
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert report.outcome == "completed", report.mismatches()
    assert report.rows[0].size == 2 << 30
    assert grown_mib < 100, f"peak RSS grew by {grown_mib:.0f} MiB"

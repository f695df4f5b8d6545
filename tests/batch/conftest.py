"""Fixtures of the batch tests: fixed-bytes exports on "drives", and a batch CSV writer."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest


def fixed_bytes(seed: str, size: int) -> bytes:
    """`size` deterministic bytes (a SHAKE-128 stream of `seed`)."""
    return hashlib.shake_128(seed.encode()).digest(size)


@pytest.fixture
def make_export(tmp_path: Path) -> Callable[..., Path]:
    """`make_export(drive, files=3, size=40_000)`: a DVR export folder on its own "drive"."""

    def make(drive: str, files: int = 3, size: int = 40_000) -> Path:
        root = tmp_path / "drives" / drive / "DVR_EXPORT"
        for index in range(files):
            path = root / f"CAM{index % 2 + 1:02d}" / f"ch{index:02d}_20261120_140000.dav"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(fixed_bytes(f"{drive}/{index}", size))
        return root

    return make


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[Sequence[dict[str, str]]], Path]:
    """`write_csv(rows)`: `cases.csv` in the test folder, columns from the rows' keys."""

    def write(rows: Sequence[dict[str, str]]) -> Path:
        columns = list(dict.fromkeys(key for row in rows for key in row))
        path = tmp_path / "cases.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write

"""Fixtures of the hashing tests: a fake kernel32 and a file to read back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from platform_fakes import FakeKernel32


@pytest.fixture
def kernel32() -> FakeKernel32:
    return FakeKernel32()


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, bytes]:
    """A file of random bytes whose size is no multiple of a sector (nor of a chunk)."""
    data = os.urandom((9 << 20) + 4097)
    path = tmp_path / "clip.dav"
    path.write_bytes(data)
    return path, data

"""Helpers for records made by other tools: a small footage folder, running the real tools
that record it, and the three tamperings every record must catch."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FILES = {
    "CAM01/ch01_20261120_140000.dav": 70_000,
    "CAM01/ch01_20261120_143000.dav": 5_000,
    "CAM 02/clip one.mp4": 12_345,
    "CAM 02/Überwachung_ä.mp4": 2_000,
    "export_info.txt": 300,
    "empty.dat": 0,
}
"""Relative path → size of the footage folder's files (names with spaces and non-ASCII)."""
FLIPPED, DELETED, ADDED = "CAM01/ch01_20261120_140000.dav", "CAM 02/clip one.mp4", "notes.txt"
"""What `tamper` changes: one byte flipped, one file deleted, one file added."""


def fixed_bytes(seed: str, size: int) -> bytes:
    """`size` deterministic bytes."""
    return hashlib.shake_128(seed.encode()).digest(size)


def make_footage(folder: Path) -> Path:
    """Write the footage files into `folder`."""
    for name, size in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(fixed_bytes(name, size))
    return folder


def tamper(payload: Path) -> None:
    """Flip one byte of one file, delete another, add a third."""
    flipped = payload / FLIPPED
    data = bytearray(flipped.read_bytes())
    data[1234] ^= 0x01
    flipped.chmod(0o644)
    flipped.write_bytes(bytes(data))
    (payload / DELETED).unlink()
    (payload / ADDED).write_bytes(b"added after the record was made\n")


def tool(name: str) -> str:
    """The path of a command-line tool (the venv's first), or skip the test."""
    venv = Path(sys.executable).parent / name
    found = str(venv) if venv.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def run(command: list[str], cwd: Path, stdout: Path | None = None) -> None:
    """Run a tool in `cwd`, its output into `stdout` when given; it must succeed."""
    with stdout.open("wb") if stdout else contextlib.nullcontext(subprocess.DEVNULL) as out:
        completed = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.PIPE,
                                   check=False)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")


def relative_files(folder: Path) -> list[str]:
    """Every file under `folder` by relative POSIX path, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

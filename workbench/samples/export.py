"""A small sample CCTV export with fixed bytes, for the README, the CLI demo and notebooks."""

from __future__ import annotations

import random
from pathlib import Path, PurePosixPath

from workbench.errors import Conflict, ProcessingError, payload_from_os_error
from workbench.paths import expand_user

SAMPLE_SEED = 4512
"""Seed of the generator that makes the sample's bytes (so its hashes never change)."""
SAMPLE_FILES: tuple[tuple[str, int], ...] = (
    ("CAM01/ch01_20261120_140000.dav", 64 * 1024),
    ("CAM01/ch01_20261120_143000.dav", 48 * 1024),
    ("CAM02/ch02_20261120_140000.dav", 40 * 1024),
    ("CAM02/ch02_20261120_143000.dav", 0),
)
"""Relative path and size of each video file of the sample export."""
SAMPLE_README = (
    "Sample DVR export (synthetic data for Case Workbench demos).\n"
    "Recorder clock: 2026-11-20 14:00 to 15:30, cameras CAM01 and CAM02.\n"
)


def sample_contents() -> dict[PurePosixPath, bytes]:
    """Every file of the sample export and its exact bytes."""
    generator = random.Random(SAMPLE_SEED)
    contents = {PurePosixPath(name): generator.randbytes(size) for name, size in SAMPLE_FILES}
    contents[PurePosixPath("export_info.txt")] = SAMPLE_README.encode()
    return contents


def make_sample_evidence(folder: str | Path) -> Path:
    """Write the sample export into `folder` (created); files already there must match."""
    root = expand_user(folder)
    for relative, data in sample_contents().items():
        path = root.joinpath(*relative.parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            if path.read_bytes() != data:
                raise ProcessingError(Conflict(
                    path=str(path), detail="a different file is already there",
                )) from None
        except OSError as exc:
            raise ProcessingError(payload_from_os_error(exc, str(path), "write")) from exc
    return root

"""The benchmark's input data: one big file, many small files, audit trees, and the trees of
100,000 and 200,000 small files whose copy and audit are the peak-memory probes.

Each data set is a folder (every peer copies folders the same way) written once and
reused while its recorded shape matches; random bytes so no tool can compress or dedupe.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

MIB = 1024 * 1024
_CHUNK = 16 * MIB
_PER_FOLDER = 500


@dataclass(frozen=True)
class Shape:
    """Sizes of every data set of one run mode."""

    name: str
    """Sub-folder of the scratch folder that holds this mode's data."""
    big_bytes: int
    """Size of the single big file."""
    small_count: int
    """Number of files of the small-files set."""
    small_bytes: int
    """Size of each small file."""
    audit_count: int
    """Number of files of the audit tree."""
    audit_bytes: int
    """Size of each audit file."""
    sparse_bytes: int
    """Apparent size of the sparse file copied for the peak-RSS probe."""
    many_count: int
    """Files of the set whose plan + copy in one process is the peak-RSS probe of many files."""
    many_bytes: int
    """Size of each of them."""
    audit_large_count: int
    """Files of the large audit tree (peak-RSS probe of an audit)."""
    audit_large_bytes: int
    """Size of each of them."""


FULL = Shape("full", 1024 * MIB, 5_000, 20 * 1024, 20_000, 4 * 1024, 4096 * MIB,
             100_000, 1024, 200_000, 1024)
QUICK = Shape("quick", 32 * MIB, 300, 20 * 1024, 1_000, 4 * 1024, 128 * MIB,
              2_000, 1024, 4_000, 1024)


@dataclass(frozen=True)
class DataSets:
    """Paths of the generated source folders."""

    big: Path
    small: Path
    audit: Path
    audit_mhl: Path
    """Hard-linked twin of `audit` holding an ASC MHL history (xxh128) for `ascmhl-debug`."""
    sparse: Path
    many: Path
    audit_large: Path


def _write_random(path: Path, size: int) -> None:
    with path.open("wb") as fh:
        left = size
        while left:
            n = min(left, _CHUNK)
            fh.write(os.urandom(n))
            left -= n


def _many_files(root: Path, count: int, size: int) -> None:
    for i in range(count):
        folder = root / f"cam{i // _PER_FOLDER:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"clip{i:05d}.bin").write_bytes(os.urandom(size))


def _fresh(folder: Path, shape: dict[str, int]) -> bool:
    """True when `folder` was completely written for this shape before."""
    marker = folder.with_name(folder.name + ".done")
    return marker.exists() and json.loads(marker.read_text()) == shape


def _mark(folder: Path, shape: dict[str, int]) -> None:
    folder.with_name(folder.name + ".done").write_text(json.dumps(shape))


def _ensure(folder: Path, shape: dict[str, int], build: Callable[[Path], object]) -> None:
    if _fresh(folder, shape):
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    build(folder)
    _mark(folder, shape)


def prepare(root: Path, shape: Shape, ascmhl: str) -> DataSets:
    """Write (or reuse) every data set under `root/data`."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    sets = DataSets(
        big=data / "big",
        small=data / "small",
        audit=data / "audit",
        audit_mhl=data / "audit-mhl",
        sparse=data / "sparse",
        many=data / "many",
        audit_large=data / "audit-large",
    )
    _ensure(sets.big, {"bytes": shape.big_bytes},
            lambda d: _write_random(d / "big.bin", shape.big_bytes))
    _ensure(sets.small, {"count": shape.small_count, "bytes": shape.small_bytes},
            lambda d: _many_files(d, shape.small_count, shape.small_bytes))
    audit_shape = {"count": shape.audit_count, "bytes": shape.audit_bytes}
    _ensure(sets.audit, audit_shape,
            lambda d: _many_files(d, shape.audit_count, shape.audit_bytes))
    _ensure(sets.audit_mhl, {**audit_shape, "mhl": 1},
            lambda d: _mhl_twin(sets.audit, d, ascmhl))
    _ensure(sets.sparse, {"bytes": shape.sparse_bytes},
            lambda d: os.truncate(_touch(d / "sparse.bin"), shape.sparse_bytes))
    _ensure(sets.many, {"count": shape.many_count, "bytes": shape.many_bytes},
            lambda d: _many_files(d, shape.many_count, shape.many_bytes))
    _ensure(sets.audit_large, {"count": shape.audit_large_count, "bytes": shape.audit_large_bytes},
            lambda d: _many_files(d, shape.audit_large_count, shape.audit_large_bytes))
    return sets


def _touch(path: Path) -> Path:
    path.touch()
    return path


def _mhl_twin(audit: Path, twin: Path, ascmhl: str) -> None:
    """Hard-link the audit tree into `twin` and record its ASC MHL history there."""
    twin.rmdir()
    subprocess.run(["cp", "-al", str(audit), str(twin)], check=True)
    subprocess.run([ascmhl, "create", "-h", "xxh128", str(twin)], check=True,
                   stdout=subprocess.DEVNULL)


def shape_dict(shape: Shape) -> dict[str, int]:
    """The sizes as plain JSON."""
    sizes = asdict(shape)
    del sizes["name"]
    return sizes

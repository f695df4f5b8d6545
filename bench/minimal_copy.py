"""Peer (a): the smallest honest verified copy, one file after another.

Per file: kernel copy (`shutil.copyfile`, sendfile on Linux), fsync, blake3 of the
source, then the destination dropped from the page cache (`POSIX_FADV_DONTNEED`) and
re-read for its blake3. No manifest, no temp-file rename, no report: the floor a
verified copy must pay. Prints `{"seconds", "cpu_seconds", "files", "bytes"}` as JSON.

Usage: minimal_copy.py SOURCE_DIR DEST_PARENT  (copies to DEST_PARENT/<name of SOURCE_DIR>)
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

from blake3 import blake3


def _digest(path: Path) -> str:
    hasher = blake3(max_threads=blake3.AUTO)
    hasher.update_mmap(path)
    return hasher.hexdigest()


def verified_copy(src: Path, dst: Path) -> None:
    """Copy one file, make it durable, and prove the bytes on disk match the source."""
    shutil.copyfile(src, dst)
    fd = os.open(dst, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    if _digest(src) != _digest(dst):
        raise SystemExit(f"mismatch: {dst}")


def main(source: Path, parent: Path) -> dict[str, float]:
    """Copy the tree `source` into `parent`; returns the timing line."""
    started, cpu = time.perf_counter(), time.process_time()
    files = size = 0
    for folder, _dirs, names in os.walk(source):
        target = parent / source.name / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            src = Path(folder) / name
            verified_copy(src, target / name)
            files += 1
            size += src.stat().st_size
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "files": files, "bytes": size}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))

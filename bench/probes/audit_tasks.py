"""Probe: the cost of one thread-pool task per small file when hashing a folder from disk.

Hashes every file under FOLDER with blake3 on WORKERS threads, each file dropped from the
page cache first (like an audit), handing the pool PER_TASK files per task. Caches are
dropped first when run as root.

    python bench/probes/audit_tasks.py FOLDER --workers 4 --per-task 1
    python bench/probes/audit_tasks.py FOLDER --workers 4 --per-task 64
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from blake3 import blake3


def digest(path: str) -> str:
    """blake3 of one small file read from disk in one call."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        data = os.read(fd, os.fstat(fd).st_size + 1)
        return str(blake3(data).hexdigest())
    finally:
        os.close(fd)


def digest_many(paths: list[str]) -> list[str]:
    """One task's share of the files."""
    return [digest(path) for path in paths]


def main() -> None:
    """Time one pass; print files, wall and CPU seconds."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-task", type=int, default=1)
    args = parser.parse_args()
    paths = [str(Path(d) / f) for d, _, names in os.walk(args.folder) for f in names]
    tasks = [paths[i:i + args.per_task] for i in range(0, len(paths), args.per_task)]
    os.sync()
    if os.access("/proc/sys/vm/drop_caches", os.W_OK):
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    started, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(args.workers) as pool:
        count = sum(len(done) for done in pool.map(digest_many, tasks))
    print(f"{count} files, {args.workers} workers, {args.per_task} per task: "
          f"{time.perf_counter() - started:.2f} s, CPU {time.process_time() - cpu:.2f} s")


if __name__ == "__main__":
    main()

"""The disk's own floor for a cold-verified copy of one big file, with `dd` and direct I/O.

    python bench/disk_floor.py MODE SOURCE_FOLDER DEST_FOLDER

MODE is one of:
- `read`: a cold read of the source (`dd iflag=direct`, the page cache bypassed);
- `write`: the same bytes written and made durable (`dd oflag=direct conv=fsync`), the
  source read into the page cache first and untimed, so only the write counts;
- `readback`: that written file read cold (`dd iflag=direct`); the write is untimed;
- `overlapped`: the three at once the way the engine overlaps them: three threads doing what
  the three `dd`s do (`O_DIRECT`, `BLOCK` buffers): one reads the source, one writes and
  fsyncs region after region (`REGION` bytes), one reads back each durable region while
  the next is written. (A `dd` per region costs more in process starts than it overlaps.)

Prints `{"seconds": ...}` (the timed part only) as its last line, like the other jobs.
"""

from __future__ import annotations

import json
import mmap
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

BLOCK = 8 << 20
"""dd's block size (the engine's chunk)."""
REGION = 32 << 20
"""Bytes per region of the overlapped floor (the engine's read-back region)."""


def dd(*args: str) -> list[str]:
    return ["dd", f"bs={BLOCK}", "status=none", *args]


def read(path: Path) -> None:
    subprocess.run(dd(f"if={path}", "of=/dev/null", "iflag=direct"), check=True)


def write(source: Path, target: Path) -> None:
    subprocess.run(dd(f"if={source}", f"of={target}", "oflag=direct", "conv=fsync"),
                   check=True)


def overlapped(source: Path, target: Path) -> None:
    """Read, write and read back at once, each its own thread with `O_DIRECT` and `BLOCK`
    buffers (as `dd` does): the writer fsyncs every `REGION` and the reader follows it,
    reading back each region once it is durable, while the source reader keeps ahead."""
    size = source.stat().st_size
    chunks: queue.Queue[tuple[int, mmap.mmap] | None] = queue.Queue(maxsize=4)
    durable: queue.Queue[tuple[int, int] | None] = queue.Queue()
    spare: queue.Queue[mmap.mmap] = queue.Queue()
    for _ in range(6):
        spare.put(mmap.mmap(-1, BLOCK))
    failures: list[BaseException] = []

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:
                failures.append(exc)
                chunks.put(None)
                durable.put(None)
        return run

    def read_source() -> None:
        fd = os.open(source, os.O_RDONLY | os.O_DIRECT)
        try:
            for offset in range(0, size, BLOCK):
                buffer = spare.get()
                os.preadv(fd, [buffer], offset)
                chunks.put((offset, buffer))
        finally:
            os.close(fd)
            chunks.put(None)

    def write_target() -> None:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_DIRECT, 0o644)
        region_start = 0
        try:
            while (item := chunks.get()) is not None:
                offset, buffer = item
                length = min(BLOCK, size - offset)
                os.pwrite(fd, memoryview(buffer)[:length], offset)
                spare.put(buffer)
                if offset + length - region_start >= REGION or offset + length == size:
                    os.fdatasync(fd)
                    durable.put((region_start, offset + length))
                    region_start = offset + length
        finally:
            os.close(fd)
            durable.put(None)

    def read_back() -> None:
        fd = os.open(target, os.O_RDONLY | os.O_DIRECT)
        buffer = mmap.mmap(-1, BLOCK)
        try:
            while (region := durable.get()) is not None:
                for offset in range(region[0], region[1], BLOCK):
                    os.preadv(fd, [buffer], offset)
        finally:
            os.close(fd)

    writer = threading.Thread(target=guarded(write_target))
    reader = threading.Thread(target=guarded(read_source))
    writer.start()
    reader.start()
    while not target.exists() and writer.is_alive():
        time.sleep(0.001)
    guarded(read_back)()
    reader.join()
    writer.join()
    if failures:
        raise SystemExit(f"the overlapped floor failed: {failures[0]!r}")


def main() -> None:
    mode, source_folder, dest_folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    (source,) = [path for path in source_folder.iterdir() if path.is_file()]
    target = dest_folder / source.name
    if mode == "write":
        read_cached = ["cat", str(source)]
        subprocess.run(read_cached, stdout=subprocess.DEVNULL, check=True)
    if mode == "readback":
        write(source, target)
    started = time.perf_counter()
    if mode == "read":
        read(source)
    elif mode == "write":
        write(source, target)
    elif mode == "readback":
        read(target)
    elif mode == "overlapped":
        overlapped(source, target)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()

"""The disk's own floor for a cold-verified copy of one big file, with `dd` and direct I/O.

    python bench/disk_floor.py MODE SOURCE_FOLDER DEST_FOLDER

MODE is one of:
- `read`: a cold read of the source (`dd iflag=direct`, the page cache bypassed);
- `write`: the same bytes written and made durable (`dd oflag=direct conv=fsync`), the
  source read into the page cache first and untimed, so only the write counts;
- `readback`: that written file read cold (`dd iflag=direct`); the write is untimed;
- `overlapped`: the three at once the way the engine overlaps them: the source is piped
  from one direct `dd` into another that writes and fsyncs region after region
  (`REGION` bytes), and each finished region is read back cold by a third `dd` while the
  next one is written.

Prints `{"seconds": ...}` (the timed part only) as its last line, like the other jobs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
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
    """Read, write + fsync and read back, region by region, the read-back one region behind."""
    size = source.stat().st_size
    blocks = REGION // BLOCK
    readers: list[subprocess.Popen[bytes]] = []
    for region in range((size + REGION - 1) // REGION):
        at = f"{region * blocks}"
        reading = subprocess.Popen(dd(f"if={source}", "iflag=direct", f"skip={at}",
                                      f"count={blocks}"), stdout=subprocess.PIPE)
        subprocess.run(dd(f"of={target}", "oflag=direct", "iflag=fullblock", f"seek={at}",
                          "conv=notrunc,fsync", f"count={blocks}"),
                       stdin=reading.stdout, check=True)
        assert reading.stdout is not None
        reading.stdout.close()
        if reading.wait() != 0:
            raise SystemExit("dd could not read the source")
        readers.append(subprocess.Popen(dd(f"if={target}", "of=/dev/null", "iflag=direct",
                                           f"skip={at}", f"count={blocks}")))
    if any(reader.wait() != 0 for reader in readers):
        raise SystemExit("dd could not read the copy back")


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

"""ASC MHL append cost against the length of the history (#23 item 4): the 100th generation
of a case folder must cost what the 1st does (target: 100th / 1st <= 1.2), because an append
checks only the last link of the chain (an audit checks the whole history).

    .venv/bin/python bench/mhl_append.py [--files 1000] [--generations 100] [--repeat 5]

Prints the median seconds of a 1st append (fresh folders) and of the last appends of one
long history, and their ratio (`--json FILE` keeps them; `all_targets.py` reads it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from workbench.cases import CaseData
from workbench.evidence import mhl

CASE = CaseData(occurrence="bench")
NOW = datetime.now(timezone.utc)


def entries(count: int) -> list[mhl.MhlEntry]:
    return [mhl.MhlEntry(relative=PurePosixPath(f"export/clip{i:06d}.dav"), size=i, mtime=NOW,
                         hashes={"xxh128": f"{i:032x}", "blake3": f"{i:064x}"},
                         action="original") for i in range(count)]


def timed_append(case_dir: Path, batch: list[mhl.MhlEntry]) -> float:
    start = time.perf_counter()
    mhl.append_generation(case_dir, batch, process="transfer", case=CASE, started=NOW,
                          finished=NOW)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--generations", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    batch = entries(args.files)
    with tempfile.TemporaryDirectory(prefix="wb-mhl-bench-") as scratch:
        root = Path(scratch)
        firsts = []
        for trial in range(args.repeat):
            folder = root / f"first-{trial}"
            folder.mkdir()
            firsts.append(timed_append(folder, batch))
        long = root / "long"
        long.mkdir()
        lasts = []
        for number in range(1, args.generations + 1):
            took = timed_append(long, batch)
            if number > args.generations - args.repeat:
                lasts.append(took)
    first, last = statistics.median(firsts), statistics.median(lasts)
    print(f"files per generation: {args.files}")
    print(f"1st append (median of {args.repeat}): {first:.4f} s")
    print(f"appends {args.generations - args.repeat + 1}..{args.generations} (median): "
          f"{last:.4f} s")
    print(f"ratio: {last / first:.2f} (target <= 1.2)")
    if args.json:
        args.json.write_text(json.dumps({
            "files": args.files, "generations": args.generations, "first_s": first,
            "last_s": last, "ratio": last / first}, indent=2) + "\n")


if __name__ == "__main__":
    main()

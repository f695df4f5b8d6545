"""Verifying a folder against an ASC MHL history another tool made, against its peers.

    python bench/foreign_audit.py            # 20,000 x 4 KiB, recorded by `ascmhl create -h xxh64`
    python bench/foreign_audit.py --quick    # 1,000 files, to check the harness

Times, on the same folder in the same run, each after `sync` and an emptied page cache:
`verify_case(folder)` (the workbench finds the history and checks every file against it),
`ascmhl-debug verify folder` (the reference tool, quadratic in the number of files) and
`b3sum` of the same files (the cold-read floor of hashing them at all). Trials run
round-robin. Writes `results/foreign-audit.md` and `.json` (`-quick` for --quick).
Targets (issue #11): >= 5x faster than `ascmhl-debug verify`; within 1.2x of `b3sum`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

import measure
import peers

RESULTS = Path(__file__).resolve().parent / "results"
SHAPES = {"full": (20_000, 4096), "quick": (1_000, 4096)}
PER_FOLDER = 500


def prepare(folder: Path, count: int, size: int) -> None:
    """Write (or reuse) `count` files of `size` random bytes with an xxh64 ASC MHL history."""
    marker = folder.with_name(folder.name + ".done")
    shape = {"count": count, "bytes": size, "history": "xxh64"}
    if marker.exists() and json.loads(marker.read_text()) == shape:
        return
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    for index in range(count):
        sub = folder / f"cam{index // PER_FOLDER:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"clip{index:05d}.bin").write_bytes(os.urandom(size))
    subprocess.run([peers.tool("ascmhl"), "create", "-h", "xxh64", str(folder)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker.write_text(json.dumps(shape))


def measurements(folder: Path) -> dict[str, tuple[list[str], bool, Path | None]]:
    """key → (argv, prints its own time, working folder)."""
    return {
        "wb_verify": ([peers.PYTHON, str(peers.HERE / "wb_job.py"), "verify", str(folder)],
                      True, None),
        "ascmhl_verify": ([peers.tool("ascmhl-debug"), "verify", str(folder)], False, None),
        "b3sum": (["sh", "-c", "find . -type f -not -path './ascmhl/*' -print0 | "
                   "xargs -0 b3sum > /dev/null"], False, folder),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench"))
    parser.add_argument("--repeat", type=int, default=3,
                        help="trials of the workbench and b3sum (ascmhl-debug: at most 2)")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    count, size = SHAPES[mode]
    folder = args.scratch / mode / "data" / "foreign-mhl"
    prepare(folder, count, size)
    runs = measurements(folder)
    trials: dict[str, list[measure.Trial]] = {key: [] for key in runs}
    method = ""
    load = []
    for round_number in range(args.repeat):
        for key, (argv, own_time, cwd) in runs.items():
            if key == "ascmhl_verify" and round_number >= 2:
                continue
            method = measure.cold_start([folder])
            trials[key].append(measure.run_trial(argv, own_time=own_time, cwd=cwd))
            load.append(os.getloadavg()[0])
    stats = {key: measure.summarise(found) for key, found in trials.items()}
    ratios = {
        "ascmhl_verify / wb_verify (target >= 5)":
            stats["ascmhl_verify"].median / stats["wb_verify"].median,
        "wb_verify / b3sum (target <= 1.2)": stats["wb_verify"].median / stats["b3sum"].median,
    }
    result = {
        "files": count, "file_bytes": size, "cache": method,
        "load_average": [round(min(load), 2), round(max(load), 2)],
        "timings": {key: vars(found) for key, found in stats.items()},
        "ratios": {key: round(value, 2) for key, value in ratios.items()},
    }
    RESULTS.mkdir(exist_ok=True)
    stem = "foreign-audit" + ("-quick" if args.quick else "")
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"# Verify against a foreign ASC MHL history: {count:,} x {size} B", "",
             "| measurement | best s | median s | worst s | runs | CPU s | peak RSS MB |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {key} | {s.best:.2f} | {s.median:.2f} | {s.worst:.2f} | {s.runs} | "
              f"{s.cpu_median:.2f} | {s.max_rss_mb:.0f} |" for key, s in stats.items()]
    lines += ["", *(f"- {key}: **{value:.2f}**" for key, value in ratios.items()),
              f"- cache emptied with {method}; load average {result['load_average']} "
              "(a shared machine: compare ratios, not seconds)", ""]
    (RESULTS / f"{stem}.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

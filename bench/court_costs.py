"""What the court-ready defaults cost a verified copy of one big file (issue #22).

    sudo .venv/bin/python bench/court_costs.py [--size-mib 1024] [--repeat 5] [--scratch DIR]

Alternates, trial by trial (so a noisy neighbour hits every variant alike), three copies of
the same file, each in its own `wb_job.py` process from a cold cache:
- `blake3`: blake3 alone as chosen (the engine adds xxh128 so ASC MHL can check it), the old
  default;
- `default`: the new default, blake3 + SHA-256 (+ xxh128 for ASC MHL);
- `default+report`: the same copy, then the case report written (HTML + PDF), as every
  intake now does.
Prints medians and ratios to `blake3`; the issue asks `default` to stay within 5%.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
from pathlib import Path

import measure
import peers

VARIANTS: dict[str, list[str]] = {
    "blake3": ["--algorithms", "blake3"],
    "default": [],
    "default+report": ["--report"],
}
"""Each measured copy's extra `wb_job.py copy` arguments."""


def main() -> None:
    """Build the file once, run the alternating trials, print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench-court"))
    args = parser.parse_args()
    source = args.scratch / "big" / "big.bin"
    if not source.exists() or source.stat().st_size != args.size_mib << 20:
        source.parent.mkdir(parents=True, exist_ok=True)
        with source.open("wb") as out:
            for _ in range(args.size_mib):
                out.write(random_mib())
    times: dict[str, list[float]] = {key: [] for key in VARIANTS}
    report_seconds: list[float] = []
    for _ in range(args.repeat):
        for key, extra in VARIANTS.items():
            root = args.scratch / "out" / key
            shutil.rmtree(root, ignore_errors=True)
            measure.cold_start([source.parent])
            trial = measure.run_trial(
                [peers.PYTHON, str(peers.HERE / "wb_job.py"), "copy", str(source),
                 "--root", str(root), *extra], own_time=True)
            times[key].append(trial.seconds)
            if "--report" in extra:
                report_seconds.append(float(trial.detail["report_seconds"]))
    medians = {key: statistics.median(values) for key, values in times.items()}
    print(json.dumps({
        "size_mib": args.size_mib, "trials": times, "median_seconds": medians,
        "ratio_to_blake3": {key: medians[key] / medians["blake3"] for key in medians},
        "report_median_seconds": statistics.median(report_seconds) if report_seconds else None,
    }, indent=1))


def random_mib() -> bytes:
    """One MiB of random bytes (incompressible, like video)."""
    import os

    return os.urandom(1 << 20)


if __name__ == "__main__":
    main()

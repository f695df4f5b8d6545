"""Probe: the streamed read-back's region size, and where streaming beats the batch path.

Copies SOURCE (a folder) with the workbench in a fresh process per trial, caches dropped
first (as root), for each configuration: `batch` (every file written, synced as a batch,
then read back) and `region=N` (files of STREAM_BYTES or more read back N MiB at a time
while written). Trials run round-robin; prints the median seconds of each.

    python bench/probes/regions.py SOURCE SCRATCH --regions 16 32 64 128 --repeat 3
    python bench/probes/regions.py SOURCE SCRATCH --regions 64 --stream-mib 16 --also-to
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

JOB = """
import json, sys, time
from pathlib import Path
from workbench.cases.types import CaseData
from workbench.hashing import regions
from workbench.processing import engine, plan_copy, run_copy
from workbench.templates.types import Template, TemplateLevel
source, roots, region, stream = sys.argv[1], sys.argv[2:-2], int(sys.argv[-2]), int(sys.argv[-1])
regions.REGION_SIZE = region << 20
engine.STREAM_BYTES = stream << 20
template = Template(id="p", name="p", levels=[TemplateLevel(pattern="{occurrence}")])
started = time.perf_counter()
plan = plan_copy([source], CaseData(occurrence="PROBE"), template, roots[0], also_to=roots[1:])
report = run_copy(plan)
assert {row.status for row in report.rows} == {"verified"}, report.mismatches()
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def trial(source: Path, scratch: Path, region: int, stream: int, destinations: int) -> float:
    """One cold copy in its own process; its seconds (imports excluded)."""
    shutil.rmtree(scratch, ignore_errors=True)
    roots = [scratch / f"d{i}" for i in range(destinations)]
    for root in roots:
        root.mkdir(parents=True)
    os.sync()
    if os.access("/proc/sys/vm/drop_caches", os.W_OK):
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    done = subprocess.run([sys.executable, "-c", JOB, str(source), *map(str, roots),
                           str(region), str(stream)], capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    """Round-robin trials of every configuration; print the medians."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("scratch", type=Path)
    parser.add_argument("--regions", type=int, nargs="+", default=[64], help="MiB")
    parser.add_argument("--stream-mib", type=int, default=128)
    parser.add_argument("--also-to", action="store_true", help="two destinations")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    configs = {"batch": (64, 1 << 40)} | {f"region={r}": (r, args.stream_mib)
                                           for r in args.regions}
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(args.repeat):
        for name, (region, stream) in configs.items():
            seconds = trial(args.source, args.scratch, region, stream, 2 if args.also_to else 1)
            times[name].append(seconds)
            print(f"{name}: {seconds:.3f} s", file=sys.stderr, flush=True)
    shutil.rmtree(args.scratch, ignore_errors=True)
    for name, found in times.items():
        print(f"{name:<12} median {statistics.median(found):.3f} s  "
              f"best {min(found):.3f} s  ({', '.join(f'{t:.2f}' for t in found)})")


if __name__ == "__main__":
    main()

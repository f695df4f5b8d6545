"""Case Workbench against its peers, on the same data, in one run.

    python bench/run.py            # full run (1 GiB, 5,000 x 20 KiB, 20,000-file audit), ~10 min
    python bench/run.py --quick    # small shapes, one minute, for checking the harness

Prints the timing and target tables and writes `bench/results/latest.md` and `.json`
(`latest-quick.*` for --quick). See bench/README.md for what each row measures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from importlib.util import find_spec
from pathlib import Path

import datagen
import machine
import measure
import peers
import report

RESULTS = Path(__file__).resolve().parent / "results"


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small data, for a fast check")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench"),
                        help="data and destinations, a sub-folder per mode, outside the repo")
    parser.add_argument("--repeat", type=int, help="trials per measurement (3 full, 1 quick)")
    parser.add_argument("--only", nargs="+", default=[],
                        help="measure only keys containing one of these words")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile every workbench job into SCRATCH/profiles/")
    parser.add_argument("--nice", type=int, default=-10,
                        help="niceness change for the measured commands (root may go below 0)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    return parser.parse_args()


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _fresh_destinations(out: Path, count: int) -> list[Path]:
    shutil.rmtree(out, ignore_errors=True)
    dests = [out / f"d{i + 1}" for i in range(count)]
    for d in dests:
        d.mkdir(parents=True)
    return dests


def _build_audit_case(sets: datagen.DataSets, scratch: Path) -> Path:
    """Copy the audit tree with the workbench (untimed) so `verify_case` has a case folder."""
    root = scratch / "audit-case"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.perf_counter()
    trial = measure.run_trial(
        [peers.PYTHON, str(peers.HERE / "wb_job.py"), "copy", str(sets.audit), "--root",
         str(root)], own_time=True)
    _log(f"audit case folder written by the workbench in {time.perf_counter() - started:.1f} s")
    return Path(str(trial.detail["destination"]))


def _build_large_audit_case(sets: datagen.DataSets, scratch: Path, shape: dict[str, int]
                            ) -> Path:
    """A case folder of the large audit tree for this run: the workbench copies it once
    (untimed; kept while the shape matches), then each run audits a fresh twin whose files
    are hard links and whose record folders are copies (so the history is the copy's alone)."""
    template = scratch / "audit-large-template"
    marker = template.with_name(template.name + ".done")
    if not marker.exists() or json.loads(marker.read_text()) != shape:
        shutil.rmtree(template, ignore_errors=True)
        template.mkdir(parents=True)
        started = time.perf_counter()
        measure.run_trial([peers.PYTHON, str(peers.HERE / "wb_job.py"), "copy",
                           str(sets.audit_large), "--root", str(template)], own_time=True)
        _log(f"large audit case written by the workbench in "
             f"{time.perf_counter() - started:.1f} s")
        marker.write_text(json.dumps(shape))
    twin = scratch / "audit-large-case"
    shutil.rmtree(twin, ignore_errors=True)
    subprocess.run(["cp", "-al", str(template), str(twin)], check=True)
    (case,) = {p.parent for p in twin.glob("*/_evidence")}
    for record in ("_evidence", "ascmhl"):
        shutil.rmtree(case / record)
        shutil.copytree(template / case.name / record, case / record)
    return case


def _with_profile(argv: list[str], out: Path) -> list[str]:
    """Insert `--profile FILE` after the wb_job script path."""
    at = argv.index(str(peers.HERE / "wb_job.py")) + 1
    return [*argv[:at], "--profile", str(out), *argv[at:]]


def _renice(step: int) -> str:
    """Raise the benchmark's CPU priority over other work on a shared machine, if allowed."""
    try:
        return f"niceness {os.nice(step)}"
    except PermissionError:
        return f"niceness {os.nice(0)} (could not change it by {step})"


def _run_rounds(measurements: list[peers.Measurement], repeat: int, scratch: Path,
                profile: bool, failures: dict[str, str],
                loads: list[float]) -> tuple[dict[str, list[measure.Trial]], str]:
    """Round-robin trials (a failed command is dropped from later rounds, with its reason);
    returns the trials by key and the cache-dropping method used."""
    trials: dict[str, list[measure.Trial]] = defaultdict(list)
    cache_method = "none"
    for round_no in range(repeat):
        for m in measurements:
            if m.key in failures or (m.max_runs is not None and round_no >= m.max_runs):
                continue
            argv = m.argv(_fresh_destinations(scratch / "out" / m.key, m.destinations))
            if profile and m.key.startswith("wb"):
                (scratch / "profiles").mkdir(exist_ok=True)
                argv = _with_profile(argv, scratch / "profiles" / f"{m.key}.prof")
            cache_method = measure.cold_start([m.source])
            try:
                trial = measure.run_trial(argv, own_time=m.own_time, cwd=m.cwd)
            except measure.TrialError as exc:
                failures[m.key] = str(exc)
                _log(f"[{round_no + 1}/{repeat}] {m.key}: FAILED {exc}")
                continue
            trials[m.key].append(trial)
            loads.append(os.getloadavg()[0])
            _log(f"[{round_no + 1}/{repeat}] {m.key}: {trial.seconds:.3f} s "
                 f"(wall {trial.wall:.3f} s, {trial.max_rss_mb:.0f} MB)")
    return trials, cache_method


def main() -> None:
    """Prepare the data, run every measurement round-robin, report."""
    args = _parse()
    shape = datagen.QUICK if args.quick else datagen.FULL
    repeat = args.repeat or (1 if args.quick else 3)
    scratch = args.scratch.resolve() / shape.name
    os.environ["WORKBENCH_HOME"] = str(scratch / "home")  # default preferences, not the user's
    loads = [os.getloadavg()[0]]
    niceness = _renice(args.nice)
    git = machine.git_state()  # the engine may change while the benchmark runs
    started = time.perf_counter()
    _log(f"preparing data under {scratch} ...")
    sets = datagen.prepare(scratch, shape, peers.tool("ascmhl"))
    engine = find_spec("workbench.processing") is not None
    failures: dict[str, str] = {}
    audit_case = scratch / "audit-case" / "BENCH-0001"
    if engine and (not args.only or any("audit" in w for w in args.only)):
        try:
            audit_case = _build_audit_case(sets, scratch)
        except measure.TrialError as exc:
            failures["wb_audit"] = f"could not build the case folder: {exc}"
    audit_large_case = scratch / "audit-large-case" / "BENCH-0001"
    if engine and (not args.only or any("audit_large" in w for w in args.only)):
        try:
            audit_large_case = _build_large_audit_case(
                sets, scratch, {"count": shape.audit_large_count, "bytes": shape.audit_large_bytes})
        except measure.TrialError as exc:
            failures["wb_audit_large"] = f"could not build the case folder: {exc}"
    measurements = [
        m for m in peers.all_measurements(sets, audit_case, audit_large_case, sparse=True)
        if not args.only or any(word in m.key for word in args.only)
    ]
    if not engine:
        failures.update({m.key: "engine not available yet" for m in measurements
                         if m.key.startswith("wb")})
    trials, cache_method = _run_rounds(measurements, repeat, scratch, args.profile, failures,
                                       loads)
    shutil.rmtree(scratch / "out", ignore_errors=True)
    stats = {key: measure.summarise(ts) for key, ts in trials.items()}
    imports = [float(t.detail["import_seconds"]) for key, ts in trials.items()
               if key.startswith("wb") for t in ts]
    notes = _notes(cache_method, niceness, imports, loads, time.perf_counter() - started)
    sizes = {"big": shape.big_bytes, "small": shape.small_count * shape.small_bytes,
             "audit": shape.audit_count * shape.audit_bytes, "sparse": shape.sparse_bytes,
             "many": shape.many_count * shape.many_bytes,
             "audit-large": shape.audit_large_count * shape.audit_large_bytes}
    name = "latest-quick" if args.quick else "latest"
    markdown = report.write(
        args.results, name=name, facts=machine.facts(scratch, cache_method, git),
        shape=datagen.shape_dict(shape), measurements=measurements, stats=stats, sizes=sizes,
        failures=failures, notes=notes)
    print(markdown)


def _notes(cache_method: str, niceness: str, imports: list[float], loads: list[float],
           total: float) -> list[str]:
    import_note = (f"{statistics.median(imports):.2f} s median" if imports else "not measured")
    return [
        f"Before every trial: `sync`, then the page cache emptied by {cache_method} "
        "(inputs are read cold); every trial writes into fresh, empty destination folders "
        "on the same file system.",
        "Workbench and minimal-copy times are the library calls only (plan_copy + run_copy, "
        f"or verify_case), measured inside their own process; interpreter start and imports "
        f"are excluded (workbench import: {import_note}). CLI peers are timed as the wall "
        "time of their process.",
        "o/COPY and rsync do not fsync; o/COPY re-reads its destinations from the page cache, "
        "rsync checks the transferred stream, not the bytes on disk.",
        "Ratios use medians; noise = (worst - best) / median over the trials.",
        f"Whole benchmark run, data preparation included: {total:.0f} s. 1-minute load "
        f"average after each trial: min {min(loads):.1f}, median {statistics.median(loads):.1f}, "
        f"max {max(loads):.1f} on {os.cpu_count()} CPUs (the benchmark itself accounts for "
        "1-2; more means other work shared the machine and inflated times and noise, CPU "
        f"seconds suffer less). Benchmark ran at {niceness}.",
    ]


if __name__ == "__main__":
    main()

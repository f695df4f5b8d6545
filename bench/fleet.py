"""Fleet audit on Dask against a plain loop of `verify_case`, side by side, cold cache.

    python bench/fleet.py [--scratch DIR] [--cases 200] [--files 50] [--size KiB] [--repeat 4]

Data (made once, reused while the shape matches): CASES case folders of FILES files of SIZE
KiB of random bytes each, copied into `SCRATCH/store/<case>` by the workbench itself (so each
has its manifest, custody log and ASC MHL history). Then, in one run, round-robin (loop,
fleet, fleet, loop, ... so drift spreads over both), every measurement after `sync` and an
emptied page cache:

- `loop`: one process, `verify_case` on every case folder in turn (the audit's own 4 threads);
- `fleet`: `audit_cases(store, client=...)` on a LocalCluster of 2 worker processes of one
  thread each, started beforehand and the package imported in its workers, as in a
  standing cluster (its start-up is timed apart, once);
- `fleet_one_call`: `audit_cases(store)`, which starts and stops its own cluster.

Each timed call runs in a fresh subprocess (`--job`) that reports the time of the library
call only (`workbench` and `distributed` imported before the clock starts); the loop's job
also reports how long the audit records took to write (custody line and ASC MHL generation,
fsyncs included), to say where the time goes. Every audit must come back ok. Each audit adds
a generation to every case's MHL history, which the next one checks: the round-robin order
spreads that growth over every kind. Writes `results/fleet.json` and `results/fleet.md`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from measure import cold_start

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def make_store(scratch: Path, cases: int, files: int, size_kib: int) -> Path:
    """The store of `cases` verified case folders (reused when its shape matches)."""
    import workbench as wb

    store = scratch / "store"
    shape = {"cases": cases, "files": files, "size_kib": size_kib}
    marker = scratch / "shape.json"
    if marker.exists() and json.loads(marker.read_text()) == shape:
        return store
    shutil.rmtree(scratch, ignore_errors=True)
    os.environ["WORKBENCH_HOME"] = str(scratch / "home")
    template = wb.Template(id="flat", name="flat",
                           levels=[wb.TemplateLevel(pattern="{occurrence}")])
    source = scratch / "source" / "DVR_EXPORT"
    for case in range(cases):
        shutil.rmtree(source.parent, ignore_errors=True)
        for index in range(files):
            path = source / f"CAM{index % 4 + 1:02d}" / f"ch{index:02d}_20261120_140000.dav"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(size_kib << 10))
        plan = wb.plan_copy([source], wb.CaseData(occurrence=f"2026-{case:06d}"), template,
                            store)
        assert wb.run_copy(plan, workers=2).outcome == "completed"
    shutil.rmtree(source.parent)
    marker.write_text(json.dumps(shape))
    return store


def job(kind: str, store: Path, scheduler: str | None) -> dict[str, Any]:
    """One timed audit of the whole store, in this (fresh) process."""
    import workbench as wb
    from workbench.evidence.audit import verify as audit

    if kind == "loop":
        spent = {"record_s": 0.0}
        write = audit.write_audit_record

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return write(*args, **kwargs)
            finally:
                spent["record_s"] += time.perf_counter() - began

        audit.write_audit_record = timed
        from workbench.batch.fleet.discovery import find_case_folders

        began = time.perf_counter()
        folders = find_case_folders([store]).case_folders
        reports = [wb.verify_case(folder) for folder in folders]
        seconds = time.perf_counter() - began
        assert all(report.ok for report in reports), "a loop audit was not ok"
        return {"seconds": seconds, "cases": len(reports), **spent,
                "cpu_s": time.process_time()}
    began = time.perf_counter()
    import distributed  # noqa: F401 - imported before the clock starts, like the package

    imported = time.perf_counter() - began
    began = time.perf_counter()
    report = wb.audit_cases(store, client=scheduler)
    seconds = time.perf_counter() - began
    assert report.ok, report.failures()
    busy: dict[str, float] = {}
    for row in report.rows:
        busy[row.worker or "?"] = busy.get(row.worker or "?", 0.0) + row.duration_s
    return {"seconds": seconds, "cases": len(report.rows), "workers": report.workers,
            "import_distributed_s": imported,
            "worker_busy_s": busy, "audit_s": (report.finished - report.started).total_seconds()}


def run_job(kind: str, store: Path, scheduler: str | None) -> dict[str, Any]:
    cold_start([store])
    argv = [sys.executable, str(Path(__file__)), "--job", kind, "--store", str(store)]
    if scheduler:
        argv += ["--scheduler", scheduler]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench/fleet"))
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--size", type=int, default=64, help="KiB per file")
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--job", choices=["loop", "fleet", "fleet_one_call"])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--scheduler")
    args = parser.parse_args()
    if args.job:
        os.environ["WORKBENCH_HOME"] = str(args.store.parent / "home")
        print(json.dumps(job(args.job, args.store, args.scheduler)))
        return

    from distributed import Client, LocalCluster

    started = time.time()
    load_before = os.getloadavg()
    store = make_store(args.scratch, args.cases, args.files, args.size)
    began = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    cluster_start_s = time.perf_counter() - began
    # A standing cluster has imported the package once; so has the loop's process before it
    # is timed.
    client.run(importlib.import_module, "workbench.batch.fleet.tasks")
    trials: dict[str, list[dict[str, Any]]] = {"loop": [], "fleet": [], "fleet_one_call": []}
    try:
        for round_ in range(args.repeat):
            order = ["loop", "fleet", "fleet_one_call"]
            for kind in (order if round_ % 2 == 0 else order[::-1]):
                address = cluster.scheduler_address if kind == "fleet" else None
                trials[kind].append(run_job(kind, store, address))
                print(kind, f"{trials[kind][-1]['seconds']:.2f} s", flush=True)
    finally:
        client.close()
        cluster.close()
    median = {kind: statistics.median(t["seconds"] for t in runs) for kind, runs in trials.items()}
    best = {kind: min(t["seconds"] for t in runs) for kind, runs in trials.items()}
    summary = {
        "shape": {"cases": args.cases, "files": args.files, "size_kib": args.size,
                  "bytes": args.cases * args.files * (args.size << 10)},
        "cluster_start_s": round(cluster_start_s, 2),
        "median_s": {kind: round(value, 2) for kind, value in median.items()},
        "ratio_fleet_to_loop": round(median["fleet"] / median["loop"], 3),
        "ratio_one_call_to_loop": round(median["fleet_one_call"] / median["loop"], 3),
        "best_s": {kind: round(value, 2) for kind, value in best.items()},
        "ratio_fleet_to_loop_best": round(best["fleet"] / best["loop"], 3),
        "loop_record_s": round(statistics.median(t["record_s"] for t in trials["loop"]), 2),
        "loop_cpu_s": round(statistics.median(t["cpu_s"] for t in trials["loop"]), 2),
        "fleet_worker_busy_s": trials["fleet"][-1]["worker_busy_s"],
        "trials": trials,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "run_s": round(time.time() - started, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fleet.json").write_text(json.dumps(summary, indent=2) + "\n")
    (RESULTS / "fleet.md").write_text(report_md(summary))
    print(report_md(summary))


def report_md(summary: dict[str, Any]) -> str:
    shape, median = summary["shape"], summary["median_s"]
    busy = summary["fleet_worker_busy_s"]
    return "\n".join([
        "# Fleet audit vs a loop of verify_case",
        "",
        f"{shape['cases']} case folders × {shape['files']} files × {shape['size_kib']} KiB "
        f"({shape['bytes'] / 1e9:.2f} GB), cold cache before every trial, "
        f"{len(summary['trials']['loop'])} trials each, round-robin.",
        "",
        "| run | median s | ratio to the loop | best s | every trial (s) |",
        "|---|---|---|---|---|",
        f"| loop of `verify_case`, one process | {median['loop']} | 1.000 | "
        f"{summary['best_s']['loop']} | {_trials(summary, 'loop')} |",
        f"| `audit_cases` on a running LocalCluster (2 processes × 1 thread) | "
        f"{median['fleet']} | {summary['ratio_fleet_to_loop']} | {summary['best_s']['fleet']} "
        f"| {_trials(summary, 'fleet')} |",
        f"| `audit_cases(store)`: starts and stops its own cluster | "
        f"{median['fleet_one_call']} | {summary['ratio_one_call_to_loop']} | "
        f"{summary['best_s']['fleet_one_call']} | {_trials(summary, 'fleet_one_call')} |",
        "",
        f"Ratio of best times, fleet to loop: {summary['ratio_fleet_to_loop_best']}.",
        "",
        f"- LocalCluster start-up (2 worker processes): {summary['cluster_start_s']} s.",
        f"- The loop spent {summary['loop_record_s']} s of its {median['loop']} s writing the "
        f"audit records (custody line, ASC MHL generation, fsyncs); the rest is listing and "
        f"hashing from disk; its CPU time was {summary['loop_cpu_s']} s.",
        "- Fleet workers' time listing and hashing (per-case audits summed, record writes "
        "excluded), last trial: "
        + ", ".join(f"{worker}: {seconds:.2f} s" for worker, seconds in sorted(busy.items())),
        f"- Load average before / after: {summary['load_before']} / {summary['load_after']}; "
        f"whole run {summary['run_s']} s.",
        "",
    ])


def _trials(summary: dict[str, Any], kind: str) -> str:
    return ", ".join(f"{trial['seconds']:.2f}" for trial in summary["trials"][kind])


if __name__ == "__main__":
    main()

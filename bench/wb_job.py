"""One Case Workbench job in its own process, so its time and peak RSS are its own.

    wb_job.py copy SOURCE... --root DIR [--also-to DIR]... [--algorithms blake3 ...] [--workers N]
              [--report]
    wb_job.py verify CASE_DIR [--report]

Prints one JSON line: `seconds` (the library calls only, interpreter start and imports
excluded, like a notebook that already imported the package), the split, and the counts.
A copy or an audit is timed without the case report that every step writes after it (that
report is timed on its own, as `report_seconds`, with `--report`; `court_costs.py` compares
both).
Exits 1 when anything did not verify, so a broken engine can never post a good time.
`--profile FILE` writes cProfile stats of the timed calls.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_T0 = time.perf_counter()

from workbench.cases.types import CaseData  # noqa: E402
from workbench.evidence import verify_case  # noqa: E402
from workbench.processing import plan_copy, run_copy  # noqa: E402
from workbench.reports import commands as report_commands  # noqa: E402
from workbench.reports import write_case_report  # noqa: E402
from workbench.templates.types import Template, TemplateLevel  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _T0
CASE = CaseData(occurrence="BENCH-0001")
TEMPLATE = Template(id="bench", name="bench", levels=[TemplateLevel(pattern="{occurrence}")])
T = TypeVar("T")


def _timed(profiler: cProfile.Profile | None, call: Callable[[], T]) -> tuple[T, float, float]:
    """The call's result, wall seconds and CPU seconds (every thread of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = profiler.runcall(call) if profiler else call()
    return result, time.perf_counter() - started, time.process_time() - cpu


def copy(args: argparse.Namespace, profiler: cProfile.Profile | None) -> dict[str, Any]:
    """Plan and run one verified copy; the line reports both phases."""
    plan, plan_s, plan_cpu = _timed(profiler, lambda: plan_copy(
        args.sources, CASE, TEMPLATE, args.root, also_to=args.also_to,
        algorithms=args.algorithms))
    report, run_s, run_cpu = _timed(profiler, lambda: run_copy(plan, workers=args.workers))
    statuses = Counter(row.status for row in report.rows)
    if report.outcome != "completed" or set(statuses) - {"verified"}:
        bad = [row for row in report.rows if row.status != "verified"][:5]
        sys.exit(f"copy did not verify: {report.outcome} {dict(statuses)} {bad}")
    report_s = report_cpu = 0.0
    if args.report:  # what every intake now does after its copy (issue #22)
        _paths, report_s, report_cpu = _timed(
            profiler, lambda: write_case_report(plan.destination))
    return {"seconds": plan_s + run_s + report_s, "plan_seconds": plan_s, "run_seconds": run_s,
            "report_seconds": report_s, "cpu_seconds": plan_cpu + run_cpu + report_cpu,
            "statuses": dict(statuses), "destination": str(plan.destination),
            "algorithms": list(plan.algorithms), "files": len(plan.items)}


def verify(args: argparse.Namespace, profiler: cProfile.Profile | None) -> dict[str, Any]:
    """Audit one case folder against its own evidence record."""
    report, seconds, cpu = _timed(profiler, lambda: verify_case(args.case_dir))
    statuses = Counter(row.status for row in report.rows)
    if not report.ok:
        sys.exit(f"audit not ok: {dict(statuses)}")
    report_s = report_cpu = 0.0
    if args.report:  # what every audit does after it in the app, the CLI and the API
        _paths, report_s, report_cpu = _timed(
            profiler, lambda: write_case_report(args.case_dir))
    return {"seconds": seconds + report_s, "report_seconds": report_s,
            "cpu_seconds": cpu + report_cpu, "statuses": dict(statuses)}


def main() -> None:
    """Parse the job, run it, print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", type=Path)
    jobs = parser.add_subparsers(dest="job", required=True)
    cp = jobs.add_parser("copy")
    cp.add_argument("sources", nargs="+", type=Path)
    cp.add_argument("--root", type=Path, required=True)
    cp.add_argument("--also-to", type=Path, action="append", default=[])
    cp.add_argument("--algorithms", nargs="+")
    cp.add_argument("--workers", type=int)
    cp.add_argument("--report", action="store_true", help="then write the case report")
    cp.set_defaults(run=copy)
    vf = jobs.add_parser("verify")
    vf.add_argument("case_dir", type=Path)
    vf.add_argument("--report", action="store_true", help="then write the case report")
    vf.set_defaults(run=verify)
    args = parser.parse_args()
    # The case report every step writes after it is timed apart (`--report`), and fpdf2 loads
    # (untimed) only then: a job that writes no PDF does not carry its ~36 MB.
    report_commands.AFTER_EVERY_STEP = False
    if args.report:
        from workbench.reports import pdf as _pdf  # noqa: F401
    profiler = cProfile.Profile() if args.profile else None
    line = args.run(args, profiler)
    if profiler:
        profiler.dump_stats(args.profile)
    print(json.dumps({**line, "import_seconds": IMPORT_SECONDS}))


if __name__ == "__main__":
    main()

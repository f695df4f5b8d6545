"""`batch` and `audit-all`: many cases at once, copied from a CSV or audited on Dask."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from workbench.batch import (
    BatchReport,
    FleetReport,
    audit_cases,
    check_batch,
    run_batch,
    write_fleet_report,
)
from workbench.cli.console import BYTES, add_date_order, date_order, job_exit, run_job

BATCH_SHOWN = ["row", "occurrence", "outcome", "files", "verified", "skipped", "failed",
               "bytes_verified", "error"]
"""Columns of the batch summary the CLI prints (the case folders follow, one a line)."""


def print_batch(report: BatchReport) -> None:
    """The batch's summary table, its case folders and its journal."""
    print(report.to_frame()[BATCH_SHOWN].to_string(index=False))
    for row in report.rows:
        if row.case_folder is not None and row.outcome not in ("invalid", "cancelled"):
            print(f"row {row.row}: {row.case_folder}")
    print(f"journal: {report.journal} (run the same batch again to resume)")


def cmd_batch(args: argparse.Namespace) -> int:
    order = date_order(args)
    check = check_batch(args.cases, date_order=order)
    for row in check.rows:
        for problem in row.problems:
            print(f"row {row.row}: {problem.field}: {problem.message}", file=sys.stderr)
    found = Counter(row.outcome for row in check.rows)
    print(f"{len(check.rows)} case(s): {found['ready']} to copy, {found['already_done']} done "
          f"before, {found['invalid']} invalid (skipped)")
    report = run_job("batch", lambda token, relay: run_batch(
        args.cases, on_progress=relay, cancel=token, parallel=args.parallel,
        date_order=order), **BYTES)
    print_batch(report)
    return job_exit(report, report.ok)


def print_fleet(report: FleetReport) -> None:
    """The fleet audit's verdict, its summary and every case folder that is not ok."""
    verdict = ("CANCELLED" if report.outcome == "cancelled" else "OK" if report.ok
               else "FAILED" if report.rows else "NO CASE FOLDER FOUND")
    print(f"fleet audit of {', '.join(map(str, report.roots))}: {verdict}")
    for key, value in report.summary().items():
        print(f"  {key}: {value}")
    for row in sorted((row for row in report.rows if not row.ok),
                      key=lambda row: str(row.case_folder)):
        print(f"{row.case_folder}: {row.error_text() or row.problem_text()}")


def cmd_audit_all(args: argparse.Namespace) -> int:
    report = run_job("audit", lambda token, relay: audit_cases(
        args.roots, client=args.scheduler, pattern=args.pattern, on_progress=relay,
        cancel=token), unit="case")
    print_fleet(report)
    if args.html is not None:
        print(f"report: {write_fleet_report(report, args.html)}")
    return job_exit(report, report.ok)


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `batch` and `audit-all`."""
    batch = verbs.add_parser("batch", help="verified copy of every case of a CSV (resumable)")
    batch.add_argument("cases", type=Path, help="CSV file, one case a row (see the README)")
    batch.add_argument("--parallel", type=int, default=1,
                       help="cases copied at once, for exports on separate drives (default 1)")
    add_date_order(batch)
    batch.set_defaults(run=cmd_batch)

    audit_all = verbs.add_parser("audit-all", help="audit every case folder under ROOTs on Dask")
    audit_all.add_argument("roots", type=Path, nargs="+", metavar="ROOT")
    audit_all.add_argument("--scheduler", metavar="ADDR",
                           help="Dask scheduler address (default: a local cluster)")
    audit_all.add_argument("--pattern", help="only case folders whose path under the root "
                                             "matches this shell pattern")
    audit_all.add_argument("--html", type=Path, metavar="FILE", help="write the fleet report")
    audit_all.set_defaults(run=cmd_audit_all)

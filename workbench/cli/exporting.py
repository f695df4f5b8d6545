"""`export` and `report`: the delivery package and the printable case report."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.console import BYTES, EXIT_OK, job_exit, print_record_errors, run_job
from workbench.errors import PathNotFound, WorkbenchError
from workbench.exports import EXPORT_FORMATS, ExportReport, export_case
from workbench.reports import write_case_report


def print_export(report: ExportReport) -> None:
    """Where the package is, its digests and sidecars, and any audit problems it carries."""
    if report.outcome == "cancelled":
        print(f"{report.format}: cancelled, nothing was left at {report.path}")
        print_record_errors(report.record_errors)
        return
    print(f"{report.format}: {report.path} ({'verified' if report.verified else 'NOT verified'})")
    for algorithm, digest in report.digests.items():
        print(f"  {algorithm}: {digest}  ({report.digest_of})")
    for key, value in report.summary().items():
        print(f"  {key}: {value}")
    for sidecar in report.sidecars:
        print(f"  checksum file: {sidecar}")
    for row in report.audit_problems:
        print(f"  audit problem: {row.path.as_posix()} ({row.status})")
    print_record_errors(report.record_errors)


def cmd_export(args: argparse.Namespace) -> int:
    report = run_job(args.format, lambda token, relay: export_case(
        args.case_dir, args.format, args.out, allow_failed=args.allow_failed,
        on_progress=relay, cancel=token), **BYTES)
    print_export(report)
    return job_exit(report, report.verified and not report.record_errors)


def cmd_report(args: argparse.Namespace) -> int:
    if not args.case_dir.is_dir():
        raise WorkbenchError(PathNotFound(path=str(args.case_dir)))
    for path in write_case_report(args.case_dir, args.out):
        print(path)
    return EXIT_OK


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` and `report`."""
    export = verbs.add_parser("export", help="package a case folder as a verified ZIP or bag")
    export.add_argument("case_dir", type=Path)
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True,
                        help="zip for disclosure, bagit for an archive (RFC 8493)")
    export.add_argument("--out", type=Path, required=True, help="folder the package goes in")
    export.add_argument("--allow-failed", action="store_true",
                        help="export even when the audit finds problems (they are recorded)")
    export.set_defaults(run=cmd_export)

    report = verbs.add_parser("report", help="write the printable case report (HTML and PDF)")
    report.add_argument("case_dir", type=Path)
    report.add_argument("--out", type=Path, help="folder for the report (default: _evidence)")
    report.set_defaults(run=cmd_report)

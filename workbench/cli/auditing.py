"""`verify` and `compare`: re-hash a folder against its record, or two folders by path."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.console import (
    BYTES,
    job_exit,
    print_cache_warning,
    print_record_errors,
    run_job,
)
from workbench.evidence import VerifyReport, compare_folders, verify_case
from workbench.foreign import RECORD_KINDS
from workbench.hashing import ALGORITHMS, FolderComparison


def print_audit(report: VerifyReport) -> None:
    """The audit's verdict, the record(s) it used, and any rows or record problems not ok."""
    if report.outcome == "cancelled":
        print(f"audit of {report.case_dir}: CANCELLED (nothing was checked to the end, "
              "nothing recorded)")
        return
    print(f"audit of {report.case_dir}: {'OK' if report.ok else 'FAILED'}")
    for ref in report.records:
        tool = f" ({ref.tool})" if ref.tool else ""
        print(f"  record: {ref.kind}{tool} {ref.path}: {ref.files} files, "
              f"{', '.join(ref.algorithms)}")
    for key, value in report.summary().items():
        print(f"  {key}: {value}")
    if not report.mismatches().empty:
        print(report.mismatches().to_string(index=False))
    for problem in report.problems:
        print(f"record problem [{problem.type}]: {problem.describe()}")
    print_cache_warning(report.read_back_cache_free)
    print_record_errors(report.record_errors)


def print_comparison(comparison: FolderComparison) -> None:
    """The comparison's verdict, its counts and every path that is not the same."""
    verdict = ("CANCELLED" if comparison.outcome == "cancelled" else "SAME" if comparison.ok
               else "DIFFERENT")
    print(f"compare {comparison.a} and {comparison.b}: {verdict}")
    for key, value in comparison.summary().items():
        print(f"  {key}: {value}")
    if not comparison.ok:
        print(comparison.differences().to_string(index=False))
    records = comparison.tool_records()
    if len(records):
        print("the tools' own records (listed apart; they do not decide SAME/DIFFERENT):")
        print(records.drop(columns="tool_record").to_string(index=False))


def cmd_verify(args: argparse.Namespace) -> int:
    report = run_job("verify", lambda token, relay: verify_case(
        args.case_dir, against=args.against, on_progress=relay, cancel=token), **BYTES)
    print_audit(report)
    return job_exit(report, report.ok)


def cmd_compare(args: argparse.Namespace) -> int:
    comparison = run_job("compare", lambda token, _relay: compare_folders(
        args.a, args.b, algorithm=args.algorithm, cancel=token))
    print_comparison(comparison)
    return job_exit(comparison, comparison.ok)


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `verify` and `compare`."""
    verify = verbs.add_parser("verify", help="re-hash a folder against its record (its own, or "
                              f"another tool's: {RECORD_KINDS})")
    verify.add_argument("case_dir", type=Path)
    verify.add_argument("--against", type=Path, help=f"a record to check against: {RECORD_KINDS}")
    verify.set_defaults(run=cmd_verify)

    compare = verbs.add_parser("compare", help="hash two folders and match them by path")
    compare.add_argument("a", type=Path)
    compare.add_argument("b", type=Path)
    compare.add_argument("--algorithm", default="blake3", choices=ALGORITHMS)
    compare.set_defaults(run=cmd_compare)

"""`copy`: the verified copy of sources into the case folder."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from workbench.cases import CaseData
from workbench.cli.console import (
    BYTES,
    add_case_file,
    job_exit,
    print_cache_warning,
    print_record_errors,
    print_source_volumes,
    read_case,
    run_job,
    tree_lines,
)
from workbench.hashing import ALGORITHMS
from workbench.processing import CopyReport, plan_copy, run_copy
from workbench.templates import get_template, resolve_path


def print_copy(report: CopyReport) -> None:
    """The run's summary and any failed rows."""
    summary = report.summary()
    for key, value in summary.items():
        print(f"  {key}: {value}")
    failed = report.mismatches()
    if not failed.empty:
        print(failed.to_string(index=False))
    for target in report.plan.targets:
        print(f"{target.role}: {target.destination}")
    print_cache_warning(report.read_back_cache_free)
    print_record_errors(report.record_errors)


def copy_and_report(
    sources: Sequence[Path], case: CaseData, template_id: str, roots: Sequence[Path],
    algorithms: Sequence[str] | None, workers: int | None, seal_master: bool,
) -> CopyReport:
    """Plan, show the tree, copy with a progress bar and Ctrl-C as cancel, print the result."""
    plan = plan_copy(list(sources), case, template_id, roots[0], also_to=list(roots[1:]),
                     algorithms=algorithms)
    print("\n".join(tree_lines(resolve_path(get_template(template_id), case))))
    print_source_volumes(plan.source_volumes)
    report = run_job("copy", lambda token, relay: run_copy(
        plan, on_progress=relay, cancel=token, workers=workers, seal_master=seal_master),
        **BYTES)
    print_copy(report)
    return report


def copy_exit_code(report: CopyReport) -> int:
    """0 only when every row is verified or skipped."""
    return job_exit(report, report.outcome == "completed")


def cmd_copy(args: argparse.Namespace) -> int:
    report = copy_and_report(args.sources, read_case(args), args.template, args.dest,
                             args.algorithm, args.workers, args.seal_master)
    return copy_exit_code(report)


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `copy`."""
    copy = verbs.add_parser("copy", help="verified copy of sources into the case folder")
    add_case_file(copy)
    copy.add_argument("--template", default="default", help="template id")
    copy.add_argument("--dest", type=Path, action="append", required=True,
                      help="destination root; repeat for working copies (first is the master)")
    copy.add_argument("--algorithm", action="append", choices=ALGORITHMS[1:],
                      help="extra digest besides blake3 (repeatable)")
    copy.add_argument("--workers", type=int, help="copy threads (default: preferences)")
    copy.add_argument("--seal-master", action="store_true",
                      help="make the master's verified files read-only")
    copy.add_argument("sources", type=Path, nargs="+", help="source files or folders")
    copy.set_defaults(run=cmd_copy)

"""`workbench`: the headless entry point. Bad input prints one clear line and exits non-zero."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from tqdm import tqdm

from workbench.cases import CaseData
from workbench.errors import (
    CaseError,
    CorruptFile,
    ErrorPayload,
    PathNotFound,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.events import CancelToken
from workbench.evidence import ProgressEvent, VerifyReport, verify_case
from workbench.hashing import ALGORITHMS
from workbench.processing import CopyReport, plan_copy, run_copy
from workbench.reports import write_case_report
from workbench.samples import make_sample_evidence
from workbench.schema import export_schemas
from workbench.templates.commands import get_template, resolve_path, scan_templates
from workbench.templates.types import ResolvedPath
from workbench.version import __version__

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130

DEMO_CASE = CaseData(
    occurrence="2026-004512",
    business="Corner Store",
    location="123 Main St",
    video_start="2026-11-20T14:00",
    video_end="2026-11-20T15:30",
    dvr_offset="+00:04:30",
    technician="A. Analyst",
    badge_number="4711",
)
"""The sample case of `workbench demo` and the README."""


def read_case(path: Path) -> CaseData:
    """A `CaseData` from a JSON file; typed errors for a missing or invalid file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseError(payload_from_os_error(exc, str(path), "read")) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CaseError(CorruptFile(path=str(path), detail=f"not JSON ({exc})")) from None
    return CaseData.model_validate(data)


def tree_lines(resolved: ResolvedPath) -> list[str]:
    """The resolved case folder drawn as an indented tree, one level a line."""
    lines, depth = [], 0
    for level in resolved.levels:
        if level.value is None:
            continue
        marker = "  (fallback)" if level.used_fallback else ""
        lines.append(("    " * (depth - 1) + "└── " if depth else "") + f"{level.value}/{marker}")
        depth += 1
    return lines


def progress_bar(total: int) -> tuple[tqdm[Any], Callable[[ProgressEvent], None]]:
    """A bytes tqdm bar on stderr and the `on_progress` callback that drives it."""
    bar: tqdm[Any] = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                           file=sys.stderr, dynamic_ncols=True)

    def update(event: ProgressEvent) -> None:
        bar.update(event.bytes_done - bar.n)
        bar.set_postfix_str(f"{event.files_done}/{event.files_total} files", refresh=False)

    return bar, update


def run_with_cancel(work: Callable[[CancelToken], CopyReport]) -> CopyReport:
    """Run `work` with Ctrl-C mapped to a cancel of the token (a second Ctrl-C is not needed)."""
    token = CancelToken()

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        print("\ncancelling after the current chunk…", file=sys.stderr)
        token.cancel()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        return work(token)
    finally:
        signal.signal(signal.SIGINT, previous)


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


def print_cache_warning(cache_free: bool) -> None:
    """Say it when this OS could not keep the page cache out of a read-back."""
    if not cache_free:
        print("note: this system could not bypass its page cache: files were re-read and "
              "matched, possibly from memory rather than from the disk")


def print_record_errors(payloads: Sequence[ErrorPayload]) -> None:
    """Evidence-record writes that failed: the files may be fine, the record is not."""
    for payload in payloads:
        print(f"record error [{payload.type}]: {payload.describe()}")


def print_audit(report: VerifyReport) -> None:
    """The audit's verdict and any rows that are not ok."""
    print(f"audit of {report.case_dir}: {'OK' if report.ok else 'FAILED'}")
    for key, value in report.summary().items():
        print(f"  {key}: {value}")
    if not report.ok:
        print(report.mismatches().to_string(index=False))
    print_cache_warning(report.read_back_cache_free)
    print_record_errors(report.record_errors)


def cmd_templates(args: argparse.Namespace) -> int:
    if args.action == "show":
        print(get_template(args.id).model_dump_json(indent=2))
        return EXIT_OK
    scan = scan_templates()
    for template in scan.templates:
        print(f"{template.id:<20} {template.name}")
    for problem in scan.problems:
        print(f"warning: {problem.describe()}", file=sys.stderr)
    return EXIT_FAILED if scan.problems else EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    resolved = resolve_path(get_template(args.template), read_case(args.case))
    print("\n".join(tree_lines(resolved)))
    return EXIT_OK


def copy_and_report(
    sources: Sequence[Path], case: CaseData, template_id: str, roots: Sequence[Path],
    algorithms: Sequence[str] | None, workers: int | None, seal_master: bool,
) -> CopyReport:
    """Plan, show the tree, copy with a progress bar and Ctrl-C as cancel, print the result."""
    plan = plan_copy(list(sources), case, template_id, roots[0], also_to=list(roots[1:]),
                     algorithms=algorithms)
    print("\n".join(tree_lines(resolve_path(get_template(template_id), case))))
    to_copy = sum(item.size for item in plan.items if item.action == "copy"
                  and item.role == "master")
    bar, update = progress_bar(to_copy)
    try:
        report = run_with_cancel(lambda token: run_copy(
            plan, on_progress=update, cancel=token, workers=workers, seal_master=seal_master))
    finally:
        bar.close()
    print_copy(report)
    return report


def copy_exit_code(report: CopyReport) -> int:
    """0 only when every row is verified or skipped."""
    if report.outcome == "cancelled":
        return EXIT_CANCELLED
    return EXIT_OK if report.outcome == "completed" else EXIT_FAILED


def cmd_copy(args: argparse.Namespace) -> int:
    report = copy_and_report(args.sources, read_case(args.case), args.template, args.dest,
                             args.algorithm, args.workers, args.seal_master)
    return copy_exit_code(report)


def cmd_verify(args: argparse.Namespace) -> int:
    report = verify_case(args.case_dir)
    print_audit(report)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_report(args: argparse.Namespace) -> int:
    if not args.case_dir.is_dir():
        raise WorkbenchError(PathNotFound(path=str(args.case_dir)))
    for path in write_case_report(args.case_dir, args.out):
        print(path)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    for path in export_schemas(args.out):
        print(path)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    work = args.workdir or Path(tempfile.mkdtemp(prefix="workbench-demo-"))
    export = make_sample_evidence(work / "usb-export")
    print(f"sample evidence: {export}")
    report = copy_and_report([export], DEMO_CASE, "default", [work / "cases"], None, None, False)
    audit = verify_case(report.plan.destination)
    print_audit(audit)
    for path in write_case_report(report.plan.destination, None):
        print(f"report: {path}")
    return copy_exit_code(report) or (EXIT_OK if audit.ok else EXIT_FAILED)


def parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    top = argparse.ArgumentParser(prog="workbench", description=__doc__)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    templates = sub.add_parser("templates", help="list or show folder templates")
    templates.add_argument("action", choices=["list", "show"])
    templates.add_argument("id", nargs="?", help="template id (for show)")
    templates.set_defaults(run=cmd_templates)

    resolve = sub.add_parser("resolve", help="print the case folder a template makes")
    resolve.add_argument("--case", type=Path, required=True, help="case data JSON file")
    resolve.add_argument("--template", default="default", help="template id")
    resolve.set_defaults(run=cmd_resolve)

    copy = sub.add_parser("copy", help="verified copy of sources into the case folder")
    copy.add_argument("--case", type=Path, required=True, help="case data JSON file")
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

    verify = sub.add_parser("verify", help="re-hash a case folder against its manifest")
    verify.add_argument("case_dir", type=Path)
    verify.set_defaults(run=cmd_verify)

    report = sub.add_parser("report", help="write the printable case report (HTML and PDF)")
    report.add_argument("case_dir", type=Path)
    report.add_argument("--out", type=Path, help="folder for the report (default: _evidence)")
    report.set_defaults(run=cmd_report)

    schema = sub.add_parser("schema", help="write the JSON Schema of every public model")
    schema.add_argument("--out", type=Path, default=Path("schemas"))
    schema.set_defaults(run=cmd_schema)

    demo = sub.add_parser("demo", help="copy, audit and report bundled sample evidence")
    demo.add_argument("--workdir", type=Path, help="where to put the sample (default: temp)")
    demo.set_defaults(run=cmd_demo)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; typed errors become one line on stderr and exit code 2."""
    args = parser().parse_args(argv)
    if args.command == "templates" and args.action == "show" and not args.id:
        print("error: templates show needs a template id", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        code: int = args.run(args)
    except WorkbenchError as exc:
        print(f"error [{exc.type}]: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())

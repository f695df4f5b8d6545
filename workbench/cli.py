"""`workbench`: the headless entry point. Bad input prints one clear line and exits non-zero."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import pandas as pd
from tqdm import tqdm

from workbench.atomic import write_atomic
from workbench.batch import (
    BatchProgress,
    BatchReport,
    FleetProgress,
    FleetReport,
    audit_cases,
    check_batch,
    run_batch,
    write_fleet_report,
)
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
from workbench.evidence import (
    ProgressEvent,
    SourceVolume,
    VerifyReport,
    list_volumes,
    source_volume,
    verify_case,
)
from workbench.exports import EXPORT_FORMATS, ExportReport, export_case
from workbench.hashing import ALGORITHMS, FolderComparison, compare_folders
from workbench.media import Coverage, MediaProgress, MediaReport, coverage, probe_media
from workbench.processing import CopyReport, plan_copy, run_copy
from workbench.reports import report_html, write_case_report
from workbench.samples import make_sample_evidence
from workbench.schema import export_schemas
from workbench.templates.commands import get_template, resolve_path, scan_templates
from workbench.templates.exchange import export_templates, import_templates
from workbench.templates.exchange.bundle import ON_CONFLICT
from workbench.templates.types import ResolvedPath
from workbench.version import __version__

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
T = TypeVar("T")
MEDIA_TABLE = {
    "relative": "file", "camera": "camera", "kind": "kind", "video_codec": "codec",
    "avg_frame_rate": "fps", "duration_s": "seconds",
    "recorder_start": "recorder start", "recorder_end": "recorder end",
    "real_start": "real start", "time_source": "time from", "problem": "problem",
}
"""Columns of the footage table `workbench media` prints, and their headings."""

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
        if event.bytes_total != bar.total:
            bar.total = event.bytes_total
        bar.update(event.bytes_done - bar.n)
        bar.set_postfix_str(f"{event.files_done}/{event.files_total} files", refresh=False)

    return bar, update


def run_with_cancel(work: Callable[[CancelToken], T]) -> T:
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


def print_source_volumes(volumes: Sequence[SourceVolume]) -> None:
    """Each source's volume, and the advisory for one that is not read-only (on stderr)."""
    for volume in volumes:
        print(f"source {volume.source} on {volume.summary()}")
        if volume.advisory:
            print(f"advisory: {volume.advisory}", file=sys.stderr)


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
    """The audit's verdict, the record(s) it used, and any rows or record problems not ok."""
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
    print(f"compare {comparison.a} and {comparison.b}: {'SAME' if comparison.ok else 'DIFFERENT'}")
    for key, value in comparison.summary().items():
        print(f"  {key}: {value}")
    if not comparison.ok:
        print(comparison.differences().to_string(index=False))


def cmd_templates(args: argparse.Namespace) -> int:
    if args.action == "show":
        print(get_template(args.names[0]).model_dump_json(indent=2))
        return EXIT_OK
    if args.action == "import":
        report = import_templates(args.names[0], args.on_conflict)
        for item in report.templates:
            print(f"{item.action:<9} {item.id:<24} {item.name}")
            for note in item.unmapped:
                print(f"          not carried over: {note}")
        for note in report.unmapped:
            print(f"not carried over: {note}")
        return EXIT_OK
    if args.action == "export":
        print(export_templates(args.names, args.out))
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
    print_source_volumes(plan.source_volumes)
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
    report = verify_case(args.case_dir, against=args.against)
    print_audit(report)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_compare(args: argparse.Namespace) -> int:
    comparison = compare_folders(args.a, args.b, algorithm=args.algorithm)
    print_comparison(comparison)
    return EXIT_OK if comparison.ok else EXIT_FAILED


def print_export(report: ExportReport) -> None:
    """Where the package is, its digests and sidecars, and any audit problems it carries."""
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
    bar, update = progress_bar(0)  # the first event sets the total
    try:
        report = run_with_cancel(lambda token: export_case(
            args.case_dir, args.format, args.out, allow_failed=args.allow_failed,
            on_progress=update, cancel=token))
    except WorkbenchError as exc:
        if exc.type == "Cancelled":
            print(f"error [{exc.type}]: {exc}", file=sys.stderr)
            return EXIT_CANCELLED
        raise
    finally:
        bar.close()
    print_export(report)
    return EXIT_FAILED if report.record_errors or not report.verified else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    if not args.case_dir.is_dir():
        raise WorkbenchError(PathNotFound(path=str(args.case_dir)))
    for path in write_case_report(args.case_dir, args.out):
        print(path)
    return EXIT_OK


def media_table(media: MediaReport) -> str:
    """The footage as a plain-text table: one line per file."""
    frame = media.to_frame()[list(MEDIA_TABLE)].rename(columns=MEDIA_TABLE)
    frame.insert(4, "picture", [f"{row.width}x{row.height}" if row.width else ""
                                for row in media.rows])
    frame["problem"] = [row.problem.type if row.problem else "" for row in media.rows]
    with pd.option_context("display.width", 250, "display.max_colwidth", 60):
        text: str = frame.to_string(index=False, na_rep="—")
    return text


def print_footage(media: MediaReport, cover: Coverage) -> None:
    """The coverage in words and each problem in a sentence."""
    summary = media.summary()
    print(f"footage: {summary['files']} files, {summary['video']} video, "
          f"{summary['cameras']} cameras, {summary['problems']} with problems")
    for line in cover.summary_lines():
        print(f"  {line}")
    for row in media.rows:
        if row.problem is not None:
            print(f"  problem [{row.problem.type}]: {row.problem_text()}")


def probe_with_bar(folder: Path, case: CaseData | None) -> MediaReport:
    """Probe `folder` with a files progress bar on stderr (from the first file probed: bad
    input prints only its error) and Ctrl-C as cancel."""
    bars: list[tqdm[Any]] = []

    def update(event: MediaProgress) -> None:
        if not bars:
            bars.append(tqdm(total=event.files_total, unit="file", file=sys.stderr,
                             dynamic_ncols=True, desc="probe"))
        bars[0].update(event.files_done - bars[0].n)

    try:
        return run_with_cancel(lambda token: probe_media(folder, case=case, on_progress=update,
                                                         cancel=token))
    finally:
        for bar in bars:
            bar.close()


def cmd_media(args: argparse.Namespace) -> int:
    media = probe_with_bar(args.folder, read_case(args.case) if args.case else None)
    cover = coverage(media)
    print(media_table(media))
    print_footage(media, cover)
    outputs: list[tuple[Path | None, Callable[[], bytes]]] = [
        (args.png, lambda: cover.figure().png()),
        (args.sheet, lambda: media.contact_sheet().jpeg),
        (args.html, lambda: report_html(media).encode()),
    ]
    for path, render in outputs:
        if path is not None:
            try:
                write_atomic(path, render())
            except OSError as exc:
                raise WorkbenchError(payload_from_os_error(exc, str(path), "write")) from None
            print(f"wrote {path}")
    if media.outcome == "cancelled":
        return EXIT_CANCELLED
    return EXIT_FAILED if not media.problems().empty else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    for path in export_schemas(args.out):
        print(path)
    return EXIT_OK


def cmd_volumes(args: argparse.Namespace) -> int:
    if args.paths:
        print_source_volumes([source_volume(path) for path in args.paths])
        return EXIT_OK
    for volume in list_volumes():
        print(volume.summary())
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    work = args.workdir or Path(tempfile.mkdtemp(prefix="workbench-demo-"))
    export = make_sample_evidence(work / "usb-export")
    print(f"sample evidence: {export}")
    report = copy_and_report([export], DEMO_CASE, "default", [work / "cases"], None, None, False)
    audit = verify_case(report.plan.destination)
    print_audit(audit)
    media = probe_media(report.plan.destination)
    print_footage(media, coverage(media))
    for path in write_case_report(report.plan.destination, None):
        print(f"report: {path}")
    return copy_exit_code(report) or (EXIT_OK if audit.ok else EXIT_FAILED)


BATCH_SHOWN = ["row", "occurrence", "outcome", "files", "verified", "skipped", "failed",
               "bytes_verified", "error"]
"""Columns of the batch summary the CLI prints (the case folders follow, one a line)."""


def cmd_batch(args: argparse.Namespace) -> int:
    check = check_batch(args.cases)
    for row in check.rows:
        for problem in row.problems:
            print(f"row {row.row}: {problem.field}: {problem.message}", file=sys.stderr)
    found = Counter(row.outcome for row in check.rows)
    print(f"{len(check.rows)} case(s): {found['ready']} to copy, {found['already_done']} done "
          f"before, {found['invalid']} invalid (skipped)")
    bar: tqdm[Any] = tqdm(total=0, unit="B", unit_scale=True, unit_divisor=1024,
                           file=sys.stderr, dynamic_ncols=True)

    def update(event: BatchProgress) -> None:
        if bar.total != event.bytes_total:
            bar.total = event.bytes_total
        bar.update(event.bytes_done - bar.n)
        bar.set_postfix_str(f"{event.cases_done}/{event.cases_total} cases · row "
                            f"{event.current_row} {event.current_case}", refresh=False)

    try:
        report = run_with_cancel(lambda token: run_batch(
            args.cases, on_progress=update, cancel=token, parallel=args.parallel))
    finally:
        bar.close()
    print_batch(report)
    if report.outcome == "cancelled":
        return EXIT_CANCELLED
    return EXIT_OK if report.ok else EXIT_FAILED


def print_batch(report: BatchReport) -> None:
    """The batch's summary table, its case folders and its journal."""
    print(report.to_frame()[BATCH_SHOWN].to_string(index=False))
    for row in report.rows:
        if row.case_folder is not None and row.outcome not in ("invalid", "cancelled"):
            print(f"row {row.row}: {row.case_folder}")
    print(f"journal: {report.journal} (run the same batch again to resume)")


def cmd_audit_all(args: argparse.Namespace) -> int:
    bar: tqdm[Any] = tqdm(total=0, unit="case", file=sys.stderr, dynamic_ncols=True)

    def update(event: FleetProgress) -> None:
        bar.total = event.cases_total
        bar.update(event.cases_done - bar.n)
        bar.set_postfix_str(f"{event.failed} failed", refresh=False)

    try:
        report = run_with_cancel(lambda token: audit_cases(
            args.roots, client=args.scheduler, pattern=args.pattern, on_progress=update,
            cancel=token))
    finally:
        bar.close()
    print_fleet(report)
    if args.html is not None:
        print(f"report: {write_fleet_report(report, args.html)}")
    return EXIT_OK if report.ok else EXIT_FAILED


def print_fleet(report: FleetReport) -> None:
    """The fleet audit's verdict, its summary and every case folder that is not ok."""
    verdict = "OK" if report.ok else "FAILED" if report.rows else "NO CASE FOLDER FOUND"
    print(f"fleet audit of {', '.join(map(str, report.roots))}: {verdict}")
    for key, value in report.summary().items():
        print(f"  {key}: {value}")
    for row in sorted((row for row in report.rows if not row.ok),
                      key=lambda row: str(row.case_folder)):
        print(f"{row.case_folder}: {row.error_text() or row.problem_text()}")


def parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    top = argparse.ArgumentParser(prog="workbench", description=__doc__)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    templates = sub.add_parser(
        "templates", help="list, show, import or export folder templates",
        description="list; show ID; import FILE (this workbench's export, one template file, "
        "or the desktop app's folder_templates.json); export ID... --out FILE")
    templates.add_argument("action", choices=["list", "show", "import", "export"])
    templates.add_argument("names", nargs="*", metavar="ID|FILE",
                           help="template id (show), ids (export) or a file (import)")
    templates.add_argument("--on-conflict", choices=ON_CONFLICT, default="skip",
                           help="import: what to do with a template whose id is taken")
    templates.add_argument("--out", type=Path, help="export: the file to write")
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

    verify = sub.add_parser("verify", help="re-hash a folder against its record (its own, or "
                            "another tool's: ASC MHL, BagIt, checksum lists, hashdeep)")
    verify.add_argument("case_dir", type=Path)
    verify.add_argument("--against", type=Path, help="a record to check against: a checksum "
                        "list, hashdeep or hash CSV file, a history folder or a bag")
    verify.set_defaults(run=cmd_verify)

    compare = sub.add_parser("compare", help="hash two folders and match them by path")
    compare.add_argument("a", type=Path)
    compare.add_argument("b", type=Path)
    compare.add_argument("--algorithm", default="blake3", choices=ALGORITHMS)
    compare.set_defaults(run=cmd_compare)

    export = sub.add_parser("export", help="package a case folder as a verified ZIP or bag")
    export.add_argument("case_dir", type=Path)
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True,
                        help="zip for disclosure, bagit for an archive (RFC 8493)")
    export.add_argument("--out", type=Path, required=True, help="folder the package goes in")
    export.add_argument("--allow-failed", action="store_true",
                        help="export even when the audit finds problems (they are recorded)")
    export.set_defaults(run=cmd_export)

    report = sub.add_parser("report", help="write the printable case report (HTML and PDF)")
    report.add_argument("case_dir", type=Path)
    report.add_argument("--out", type=Path, help="folder for the report (default: _evidence)")
    report.set_defaults(run=cmd_report)

    batch = sub.add_parser("batch", help="verified copy of every case of a CSV (resumable)")
    batch.add_argument("cases", type=Path, help="CSV file, one case a row (see the README)")
    batch.add_argument("--parallel", type=int, default=1,
                       help="cases copied at once, for exports on separate drives (default 1)")
    batch.set_defaults(run=cmd_batch)

    audit_all = sub.add_parser("audit-all", help="audit every case folder under ROOTs on Dask")
    audit_all.add_argument("roots", type=Path, nargs="+", metavar="ROOT")
    audit_all.add_argument("--scheduler", metavar="ADDR",
                           help="Dask scheduler address (default: a local cluster)")
    audit_all.add_argument("--pattern", help="only case folders whose path under the root "
                                             "matches this shell pattern")
    audit_all.add_argument("--html", type=Path, metavar="FILE", help="write the fleet report")
    audit_all.set_defaults(run=cmd_audit_all)


    media = sub.add_parser("media", help="probe the footage of a case folder (or any folder): "
                           "cameras, recording times, coverage, problems")
    media.add_argument("folder", type=Path, help="case folder, or any folder of footage")
    media.add_argument("--case", type=Path, help="case data JSON (default: the folder's record)")
    media.add_argument("--png", type=Path, help="write the coverage timeline (PNG) here")
    media.add_argument("--sheet", type=Path, help="write the contact sheet (JPEG) here")
    media.add_argument("--html", type=Path, help="write the footage report (HTML) here")
    media.set_defaults(run=cmd_media)

    schema = sub.add_parser("schema", help="write the JSON Schema of every public model")
    schema.add_argument("--out", type=Path, default=Path("schemas"))
    schema.set_defaults(run=cmd_schema)

    volumes = sub.add_parser("volumes", help="list mounted drives, or the volume of each PATH")
    volumes.add_argument("paths", type=Path, nargs="*", help="sources to identify")
    volumes.set_defaults(run=cmd_volumes)

    demo = sub.add_parser("demo", help="copy, audit and report bundled sample evidence")
    demo.add_argument("--workdir", type=Path, help="where to put the sample (default: temp)")
    demo.set_defaults(run=cmd_demo)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; typed errors become one line on stderr and exit code 2."""
    args = parser().parse_args(argv)
    if args.command == "templates":
        needs = {"show": (len(args.names) == 1, "templates show needs one template id"),
                 "import": (len(args.names) == 1, "templates import needs one file"),
                 "export": (bool(args.names) and args.out is not None,
                            "templates export needs template ids and --out FILE")}
        ok, problem = needs.get(args.action, (True, ""))
        if not ok:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        code: int = args.run(args)
    except WorkbenchError as exc:
        print(f"error [{exc.type}]: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())

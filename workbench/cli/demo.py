"""`demo`: copy, audit and report the bundled sample evidence."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from workbench.cases import CaseData
from workbench.cli.auditing import print_audit
from workbench.cli.console import EXIT_FAILED, EXIT_OK
from workbench.cli.copying import copy_and_report, copy_exit_code
from workbench.cli.footage import print_footage
from workbench.evidence import verify_case
from workbench.media import coverage, probe_media
from workbench.reports import write_case_report
from workbench.samples import make_sample_evidence

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


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `demo`."""
    demo = verbs.add_parser("demo", help="copy, audit and report bundled sample evidence")
    demo.add_argument("--workdir", type=Path, help="where to put the sample (default: temp)")
    demo.set_defaults(run=cmd_demo)

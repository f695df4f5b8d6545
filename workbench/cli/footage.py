"""`media`: the footage of a folder: cameras, recording times, coverage, problems."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from workbench.atomic import write_atomic
from workbench.cases import CaseData
from workbench.cli.console import (
    EXIT_FAILED,
    EXIT_OK,
    add_case_file,
    job_exit,
    read_case,
    run_job,
)
from workbench.errors import MediaError, payload_from_os_error
from workbench.media import (
    Coverage,
    MediaReport,
    coverage,
    match_name,
    probe_media,
    rates_from_text,
)
from workbench.reports import report_html

MEDIA_TABLE = {
    "relative": "file", "recorder": "recorder", "camera": "camera", "kind": "kind",
    "video_codec": "codec", "nominal_fps": "fps", "measured_fps": "measured fps",
    "intervals": "runs", "duration_s": "seconds",
    "recorder_start": "recorder start", "recorder_end": "recorder end",
    "real_start": "real start", "time_source": "time from", "problem": "problem",
}
"""Columns of the footage table `workbench media` prints, and their headings."""


def media_table(media: MediaReport) -> str:
    """The footage as a plain-text table: one line per file."""
    frame = media.to_frame()[list(MEDIA_TABLE)].rename(columns=MEDIA_TABLE)
    pictures = [f"{row.width}x{row.height}" if row.width else "" for row in media.rows]
    frame.insert(list(frame.columns).index("codec") + 1, "picture", pictures)
    frame["fps"] = [row.rate_label() for row in media.rows]
    if not any(row.recorder for row in media.rows):  # one recorder: the column says nothing
        frame = frame.drop(columns="recorder")
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
    for problem in media.problems().itertuples():
        text = str(problem.problem)
        where = "" if str(problem.relative) in text else f"{problem.relative}: "
        print(f"  problem [{problem.type}]: {where}{text}")



def probe_with_bar(folder: Path, case: CaseData | None,
                   rates: dict[str, str] | None = None) -> MediaReport:
    """Probe `folder` with a files progress bar on stderr and Ctrl-C as cancel."""
    return run_job("probe", lambda token, relay: probe_media(
        folder, case=case, on_progress=relay, cancel=token, rates=rates), unit="file")


def cmd_media(args: argparse.Namespace) -> int:
    rates = rates_from_text(args.rate or [], "--rate")
    media = probe_with_bar(args.folder, read_case(args) if args.case else None, rates)
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
                raise MediaError(payload_from_os_error(exc, str(path), "write")) from None
            print(f"wrote {path}")
    return job_exit(media, media.problems().empty)


def cmd_patterns_test(args: argparse.Namespace) -> int:
    """Which pattern reads each name, and what it reads; non-zero when one reads nothing."""
    readings = match_name(*args.names)
    for reading in readings:
        print(reading.describe())
    return EXIT_OK if all(reading.start for reading in readings) else EXIT_FAILED


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `media` and `patterns`."""
    patterns = verbs.add_parser("patterns", help="the file-name patterns: test names")
    tests = patterns.add_subparsers(dest="patterns_command", required=True)
    tester = tests.add_parser("test", help="which pattern reads each NAME, and what it reads")
    tester.add_argument("names", nargs="+", metavar="NAME", help="a file name or relative path")
    tester.set_defaults(run=cmd_patterns_test)
    media = verbs.add_parser("media", help="probe the footage of a case folder (or any folder): "
                             "cameras, recording times, coverage, problems")
    media.add_argument("folder", type=Path, help="case folder, or any folder of footage")
    add_case_file(media, "case data JSON (default: the folder's record)", required=False)
    media.add_argument("--rate", action="append", metavar="FILE_OR_CAMERA=FPS",
                       help="set the frame rate of a file (relative path or name) or a camera "
                       "(name or 'recorder · camera'), e.g. ch01.264=12 or ch02=30000/1001; "
                       "shown as set by the analyst (repeat for more)")
    media.add_argument("--png", type=Path, help="write the coverage timeline (PNG) here")
    media.add_argument("--sheet", type=Path, help="write the contact sheet (JPEG) here")
    media.add_argument("--html", type=Path, help="write the footage report (HTML) here")
    media.set_defaults(run=cmd_media)

"""`playable` and `timeline`: derived video of a case folder (lossless playable copies, proven
packet for packet; the multicam timeline video, a presentation aid)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from workbench.cli.console import (
    add_date_order,
    date_order,
    job_exit,
    print_record_errors,
    run_job,
)
from workbench.conversion import PlayableReport, make_playable, render_timeline

PLAYABLE_TABLE = {"sources": "source", "output": "copy", "status": "status",
                  "packets": "packets", "missing_bytes": "missing bytes", "error": "error"}
"""Columns of the table `workbench playable` prints, and their headings."""


def playable_table(report: PlayableReport) -> str:
    """One line per output: source, copy, status, packets, what is missing, the error."""
    frame = report.to_frame()[list(PLAYABLE_TABLE)].rename(columns=PLAYABLE_TABLE)
    frame["error"] = [row.error.type if row.error else "" for row in report.rows]
    with pd.option_context("display.width", 250, "display.max_colwidth", 70):
        text: str = frame.to_string(index=False, na_rep="")
    return text


def cmd_playable(args: argparse.Namespace) -> int:
    report = run_job("playable", lambda token, relay: make_playable(
        args.case_dir, out=args.out, container=args.container,
        only_unplayable=not args.all, join=args.join, deep=args.deep, on_progress=relay,
        cancel=token), unit="clip")
    print(playable_table(report))
    for row in report.rows:
        names = tuple(source.as_posix() for source in row.sources)
        for note in row.notes if row.status != "skipped" else ():
            print(f"  note: {note}" if note.startswith(names) else f"  note: {names[0]}: {note}")
        if row.error is not None:
            print(f"  problem [{row.error.type}]: {row.error.describe()}")
    print(f"playable copies in {report.out_dir} ({report.ffmpeg.split(' (')[0]}); "
          f"{'all proven lossless' if report.verified else report.outcome}")
    print_record_errors(report.record_errors)
    return job_exit(report, report.verified)


def cmd_timeline(args: argparse.Namespace) -> int:
    video = run_job("timeline", lambda token, relay: render_timeline(
        args.case_dir, args.start, args.end, out=args.out, on_progress=relay, cancel=token,
        date_order=date_order(args)),
        unit="frame")
    if video.outcome == "cancelled":
        print("timeline cancelled: nothing was kept")
        return job_exit(video, ok=False)
    print(f"timeline video: {video.path} ({video.frames} frames, {len(video.cameras)} "
          f"camera(s), {video.settings['fps']} fps; {video.encoder})")
    print(f"segments and their sources: {video.sidecar}")
    gaps = [s for s in video.segments if s.kind == "gap"]
    for gap in gaps:
        print(f"  {gap.camera}: no recording {gap.real_start:%H:%M:%S}–{gap.real_end:%H:%M:%S}"
              " (real time)")
    print("a presentation aid, not evidence (re-encoded)")
    return job_exit(video, ok=True)


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `playable` and `timeline`."""
    playable = verbs.add_parser("playable", help="lossless playable copies of a case folder's "
                                "clips (MKV/MP4 by stream copy), proven packet for packet")
    playable.add_argument("case_dir", type=Path, help="the case folder")
    playable.add_argument("--container", choices=("mkv", "mp4"), default="mkv")
    playable.add_argument("--join", action="store_true",
                          help="one file per camera (clips whose codec parameters match)")
    playable.add_argument("--all", action="store_true",
                          help="every clip, not only those common players cannot play")
    playable.add_argument("--deep", action="store_true",
                          help="also decode source and copy and compare every picture")
    playable.add_argument("--out", type=Path,
                          help="write here instead of the case folder's derived/")
    playable.set_defaults(run=cmd_playable)
    timeline = verbs.add_parser("timeline", help="a grid video of every camera over a window "
                                "(real time), gaps slated: a presentation aid, not evidence")
    timeline.add_argument("case_dir", type=Path, help="the case folder")
    timeline.add_argument("--from", dest="start", required=True,
                          help="start, real time (2026-11-20T14:00:00)")
    timeline.add_argument("--to", dest="end", required=True, help="end, real time")
    timeline.add_argument("--out", type=Path,
                          help="write here instead of the case folder's derived/")
    add_date_order(timeline)
    timeline.set_defaults(run=cmd_timeline)

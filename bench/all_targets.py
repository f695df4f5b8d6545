"""Every target of the open issues measured in one run, written into `results/latest.md`.

    sudo .venv/bin/python bench/all_targets.py            # ~25 min on 2 vCPUs, data made once
    sudo .venv/bin/python bench/all_targets.py --quick    # small shapes, to check the harness

Runs, one after the other on the same machine (each script measures its own rows side by
side with their peers, medians of its trials):
`run.py` (the copy and audit table, the disk's floor, plan + copy of 100,000 files),
`exports.py` (ZIP and BagIt against the verified copy), `media.py` (the cold and warm probe
against `ffprobe`), `foreign_audit.py` (an `ascmhl create` history against `ascmhl-debug
verify` and `b3sum`), `mhl_append.py` (the 100th append against the 1st), `big_lists.py`
(peak memory of an audit against a 10⁶-line list) and `playable.py` (playable copies and the
timeline video). Each writes its own result files; this script then adds a section "Targets
of the open issues" to `latest.md` and a key `issue_targets` to `latest.json`, with the
1-minute load average around every part so a shared machine shows in the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
Json = dict[str, Any]


@dataclass(frozen=True)
class Part:
    """One bench script, its arguments (full and quick) and the JSON file it leaves."""

    name: str
    argv: list[str]
    quick: list[str]
    result: str
    quick_result: str = ""
    """The JSON file of a quick run, when the script names it apart."""


def _parts(scratch: Path, quick: Path) -> list[Part]:
    """The parts in the order they run; a quick run keeps its files apart (`quick`)."""
    media, play, lists = (str(scratch / name) for name in ("media", "playable", "big-lists"))
    return [
        Part("run", ["run.py", "--scratch", str(scratch)],
             ["run.py", "--quick", "--scratch", str(scratch)], "latest.json", "latest-quick.json"),
        Part("exports", ["exports.py", "--scratch", str(scratch)],
             ["exports.py", "--quick", "--scratch", str(scratch)], "exports.json",
             "exports-quick.json"),
        Part("media", ["media.py", "--scratch", media],
             ["media.py", "--scratch", media, "--clips", "100", "--results", str(quick)],
             "media.json", "quick/media.json"),
        Part("foreign", ["foreign_audit.py", "--scratch", str(scratch)],
             ["foreign_audit.py", "--quick", "--scratch", str(scratch)], "foreign-audit.json",
             "foreign-audit-quick.json"),
        Part("mhl", ["mhl_append.py", "--json", str(RESULTS / "mhl-append.json")],
             ["mhl_append.py", "--files", "100", "--generations", "20", "--repeat", "3",
              "--json", str(quick / "mhl-append.json")], "mhl-append.json",
             "quick/mhl-append.json"),
        Part("lists", ["big_lists.py", "--scratch", lists,
                       "--json", str(RESULTS / "big-lists.json")],
             ["big_lists.py", "--lines", "20000", "--formats", "sha256", "--scratch", lists,
              "--json", str(quick / "big-lists.json")], "big-lists.json", "quick/big-lists.json"),
        Part("playable", ["playable.py", "--scratch", play],
             ["playable.py", "--scratch", play, "--gib", "0.05", "--clips", "50",
              "--trials", "1", "--results", str(quick)], "playable.json", "quick/playable.json"),
    ]


@dataclass(frozen=True)
class Row:
    """One target: where its value comes from in a part's JSON, and its bound."""

    issue: str
    what: str
    part: str
    value: Callable[[Json], float]
    bound: float | None
    better: str = "<="
    unit: str = "x"

    def verdict(self, value: float | None) -> str:
        """PASS, MISS, info (reported only) or n/a (not measured)."""
        if value is None:
            return "n/a"
        if self.bound is None:
            return "info"
        ok = value <= self.bound if self.better == "<=" else value >= self.bound
        return "PASS" if ok else "MISS"


def _target(name: str) -> Callable[[Json], float]:
    """A value from `run.py`'s or `exports.py`'s own target table, by the start of its name."""
    return lambda data: next(float(t["median"]) for t in data["targets"]
                             if str(t.get("target", t.get("what", ""))).startswith(name))


def _cold(key: str) -> Callable[[Json], float]:
    return lambda data: data["cold_start"]["ffprobe_s"] / data["cold_start"][key]


def _lists_peak(data: Json) -> float:
    return max(float(row["peak_mb"]) for row in data.values())


def _timeline_growth(data: Json) -> float:
    windows = data["timeline"]
    peaks = [float(w["peak_mb"]) for w in windows.values()]
    return max(peaks) / min(peaks)


ROWS = [
    Row("#23", "ZIP export / its verified copy", "exports", _target("ZIP export"), 1.15),
    Row("#23", "BagIt export / its verified copy", "exports", _target("BagIt export / verified"),
        1.2),
    Row("#23", "probe 100 small clips, fresh process: ffprobe per file / workbench", "media",
        _cold("first_s"), 20.0, ">="),
    Row("#23", "second probe, warm pool: ffprobe per file / workbench", "media",
        _cold("second_s"), 50.0, ">="),
    Row("#23", "foreign audit, 20,000 files: ascmhl-debug verify / workbench", "foreign",
        lambda d: d["timings"]["ascmhl_verify"]["median"] / d["timings"]["wb_verify"]["median"],
        5.0, ">="),
    Row("#23", "foreign audit, 20,000 files: workbench / b3sum", "foreign",
        lambda d: d["timings"]["wb_verify"]["median"] / d["timings"]["b3sum"]["median"], 1.15),
    Row("#23", "100th ASC MHL append / 1st", "mhl", lambda d: float(d["ratio"]), 1.2),
    Row("#23", "peak RSS, plan + copy of 100,000 files (MB)", "run",
        _target("peak RSS, plan + copy"), 300.0, unit=" MB"),
    Row("#23", "1 GiB verified copy / the disk's floor", "run", _target("1 GiB verified copy"),
        1.1),
    Row("#19", "peak RSS, audit against a 10⁶-line list, worst format (MB)", "lists",
        _lists_peak, 300.0, unit=" MB"),
    Row("#21", "playable copy of 1 GiB H.264 with its proof / a verified copy", "playable",
        lambda d: float(d["big"]["ratio"]), 1.3),
    Row("#21", "1,000 .dav clips: one `ffmpeg -c copy` per file / workbench", "playable",
        lambda d: float(d["small"]["ratio"]), 10.0, ">="),
    Row("#21", "timeline video, 4 cameras x 10 min: real-time factor", "playable",
        lambda d: float(d["timeline"]["10_min"]["real_time_factor"]), None),
    Row("#21", "timeline video: peak RSS of a 10-min / a 2-min window", "playable",
        _timeline_growth, 1.2),
]


def _run(part: Part, quick: bool) -> tuple[Json | None, str, list[float]]:
    """Run one part; its JSON (None on failure), a failure text, the load before and after."""
    loads = [os.getloadavg()[0]]
    argv = [sys.executable, str(HERE / (part.quick if quick else part.argv)[0]),
            *(part.quick if quick else part.argv)[1:]]
    started = time.perf_counter()
    print(f"== {part.name}: {' '.join(argv[1:])}", flush=True)
    done = subprocess.run(argv, cwd=HERE.parent, check=False)
    loads.append(os.getloadavg()[0])
    print(f"== {part.name}: exit {done.returncode} in {time.perf_counter() - started:.0f} s",
          flush=True)
    result = RESULTS / (part.quick_result if quick and part.quick_result else part.result)
    if done.returncode != 0 or not result.exists():
        return None, f"exit {done.returncode}", loads
    return json.loads(result.read_text(encoding="utf-8")), "", loads


def _table(found: dict[str, Json | None], loads: dict[str, list[float]],
           quick: bool) -> tuple[str, list[Json]]:
    shapes = " — QUICK SHAPES: a check of the harness, not a measurement" if quick else ""
    lines = [f"## Targets of the open issues (one run, each part's own medians){shapes}", "",
             "| issue | target | bound | value | verdict | part (load before → after) |",
             "|---|---|---|---:|---|---|"]
    rows: list[Json] = []
    for row in ROWS:
        data = found.get(row.part)
        try:
            value = row.value(data) if data is not None else None
        except (KeyError, StopIteration, ZeroDivisionError, TypeError):
            value = None
        bound = "report" if row.bound is None else f"{row.better} {row.bound:g}{row.unit}"
        shown = "n/a" if value is None else f"{value:.2f}{row.unit}"
        before, after = loads.get(row.part, [float("nan")] * 2)
        lines.append(f"| {row.issue} | {row.what} | {bound} | {shown} | {row.verdict(value)} "
                     f"| {row.part} ({before:.1f} → {after:.1f}) |")
        rows.append({"issue": row.issue, "what": row.what, "bound": row.bound,
                     "better": row.better, "value": value, "verdict": row.verdict(value)})
    return "\n".join(lines) + "\n", rows


def main() -> None:
    """Run every part, then add the issue targets to the latest results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, one trial")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench"))
    parser.add_argument("--only", nargs="+", help="run only these parts (names as listed)")
    args = parser.parse_args()
    started = time.perf_counter()
    found: dict[str, Json | None] = {}
    loads: dict[str, list[float]] = {}
    failures: list[str] = []
    quick = RESULTS / "quick"
    if args.quick:
        quick.mkdir(exist_ok=True)
    for part in _parts(args.scratch.resolve(), quick):
        if args.only and part.name not in args.only:
            continue
        found[part.name], failure, loads[part.name] = _run(part, args.quick)
        if failure:
            failures.append(f"- {part.name}: {failure}")
    table, rows = _table(found, loads, args.quick)
    stem = "latest-quick" if args.quick else "latest"
    note = (f"\nWhole run {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; "
            "each part's own result file (results/*.json, *.md) has its trials and notes.\n")
    if failures:
        note += "\nParts that failed:\n" + "\n".join(failures) + "\n"
    markdown = RESULTS / f"{stem}.md"
    if markdown.exists():
        kept = markdown.read_text(encoding="utf-8").split("\n## Targets of the open issues")[0]
        markdown.write_text(kept.rstrip("\n") + "\n\n" + table + note, encoding="utf-8")
    summary = RESULTS / f"{stem}.json"
    data = json.loads(summary.read_text(encoding="utf-8")) if summary.exists() else {}
    data["issue_targets"] = rows
    summary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(table + note)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

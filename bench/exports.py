"""Exports against the workbench's own verified copy and bagit-python, in one run.

    python bench/exports.py            # a 1 GiB case folder, 3 trials each, ~2-3 min
    python bench/exports.py --quick    # 32 MiB, one trial, for checking the harness

The case folder is made once by a verified copy of one file of random bytes (untimed). Then,
round-robin, each trial starting after `sync` and an emptied page cache, into an empty folder:

- `wb_copy`: `plan_copy` + `run_copy` of the case folder (default algorithms): the baseline.
- `wb_zip`: `export_case(case, "zip")`: audit, archive, sync, cold read-back, sidecars.
- `wb_bagit`: `export_case(case, "bagit")`: a new bag written by the copy engine.
- `bagit_py`: `cp -r` of the case folder, `bagit.py --processes 2 --sha256 --sha512` on the
  copy, then `bagit.py --validate --processes 2`: the way a bag is made with the reference tool.

Writes `bench/results/exports.md` and `.json` (`exports-quick.*` for --quick).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import datagen
import machine
import measure
import peers

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = [
    ("ZIP export / verified copy", "wb_zip", "wb_copy", 1.15),
    ("BagIt export / verified copy", "wb_bagit", "wb_copy", 1.2),
    ("BagIt export / bagit.py (cp + make --processes 2 + validate)", "wb_bagit", "bagit_py", 1.0),
]
"""(what, key, over, bound): the issue's goals as ratios of medians, at most `bound`."""
LABELS = {
    "wb_copy": "workbench run_copy of the case folder (baseline)",
    "wb_zip": "workbench export_case zip",
    "wb_bagit": "workbench export_case bagit",
    "bagit_py": "cp -r + bagit.py --processes 2 (sha256, sha512) + bagit.py --validate",
}


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _argv(key: str, case_dir: Path, out: Path) -> list[str]:
    here = peers.HERE
    if key == "wb_copy":
        return [peers.PYTHON, str(here / "wb_job.py"), "copy", str(case_dir), "--root", str(out)]
    if key in ("wb_zip", "wb_bagit"):
        return [peers.PYTHON, str(here / "export_job.py"), key.removeprefix("wb_"),
                str(case_dir), "--out", str(out)]
    bag, tool = out / "bag", peers.tool("bagit.py")
    return ["sh", "-c", f'cp -r "{case_dir}" "{bag}" && "{tool}" --quiet --processes 2 '
            f'--sha256 --sha512 "{bag}" && "{tool}" --quiet --validate --processes 2 "{bag}"']


def _case_folder(scratch: Path, size: int) -> Path:
    """A case folder holding one `size`-byte file, written by a verified copy (untimed)."""
    source = scratch / "data" / "export-source"
    if not (source / "big.bin").is_file() or (source / "big.bin").stat().st_size != size:
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir(parents=True)
        datagen._write_random(source / "big.bin", size)
    root = scratch / "export-case"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    trial = measure.run_trial([peers.PYTHON, str(peers.HERE / "wb_job.py"), "copy",
                               str(source), "--root", str(root)], own_time=True)
    return Path(str(trial.detail["destination"]))


def main() -> None:
    """Make the case folder, run every measurement round-robin, report."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench"))
    parser.add_argument("--repeat", type=int)
    args = parser.parse_args()
    shape = datagen.QUICK if args.quick else datagen.FULL
    repeat = args.repeat or (1 if args.quick else 3)
    scratch = args.scratch.resolve() / shape.name
    os.environ["WORKBENCH_HOME"] = str(scratch / "home")
    started = time.perf_counter()
    git = machine.git_state()
    case_dir = _case_folder(scratch, shape.big_bytes)
    trials: dict[str, list[measure.Trial]] = {key: [] for key in LABELS}
    loads = [os.getloadavg()[0]]
    method = "none"
    for round_no in range(repeat):
        for key in LABELS:
            out = scratch / "out" / key
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            method = measure.cold_start([case_dir])
            trial = measure.run_trial(_argv(key, case_dir, out), own_time=key != "bagit_py")
            trials[key].append(trial)
            loads.append(os.getloadavg()[0])
            _log(f"[{round_no + 1}/{repeat}] {key}: {trial.seconds:.3f} s "
                 f"(CPU {trial.cpu:.2f} s, {trial.max_rss_mb:.0f} MB)")
    shutil.rmtree(scratch / "out", ignore_errors=True)
    stats = {key: measure.summarise(found) for key, found in trials.items()}
    notes = [
        f"Case folder: one {shape.big_bytes >> 20} MiB file of random bytes and its evidence "
        "record. Before every trial: `sync`, then the page cache emptied by "
        f"{method}; every trial writes into a fresh, empty folder on the same file system.",
        "Workbench times are the library call only (imports excluded); bagit.py is the wall "
        "time of the shell pipeline. bagit.py does not fsync, and validates from the page cache.",
        f"1-minute load average after each trial: min {min(loads):.1f}, median "
        f"{statistics.median(loads):.1f}, max {max(loads):.1f} on {os.cpu_count()} CPUs; "
        f"whole run {time.perf_counter() - started:.0f} s.",
    ]
    name = "exports-quick" if args.quick else "exports"
    print(_write(RESULTS, name, stats, notes, machine.facts(scratch, method, git)))


def _write(folder: Path, name: str, stats: dict[str, measure.Stats], notes: list[str],
           facts: dict[str, object]) -> str:
    rows = ["| target | bound | value (medians) | value (best) | verdict |",
            "|---|---|---:|---:|---|"]
    targets = []
    for what, key, over, bound in TARGETS:
        median = stats[key].median / stats[over].median
        best = stats[key].best / stats[over].best
        verdict = "PASS" if median <= bound else "MISS"
        targets.append({"what": what, "bound": bound, "median": median, "best": best,
                        "verdict": verdict})
        rows.append(f"| {what} | <= {bound} | {median:.2f} | {best:.2f} | {verdict} |")
    rows += ["", "| command | best s | median s | worst s | runs | noise | CPU s (median) | "
             "peak RSS MB |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, found in stats.items():
        rows.append(f"| {LABELS[key]} | {found.best:.3f} | {found.median:.3f} | "
                    f"{found.worst:.3f} | {found.runs} | {found.noise:.0%} | "
                    f"{found.cpu_median:.2f} | {found.max_rss_mb:.0f} |")
    markdown = "\n".join(["# Exports benchmark", "", "## Targets (informational)", "",
                          *rows[:2 + len(TARGETS)], "", "## Timings", "",
                          *rows[2 + len(TARGETS) + 1:], "", "## Notes", "",
                          *[f"- {note}" for note in notes], "", "## Machine", "",
                          *[f"- {key}: {value}" for key, value in facts.items()], ""])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(markdown)
    (folder / f"{name}.json").write_text(json.dumps({
        "targets": targets, "notes": notes, "machine": facts,
        "stats": {key: vars(found) for key, found in stats.items()},
    }, indent=2) + "\n")
    return markdown


if __name__ == "__main__":
    main()

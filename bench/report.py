"""The results table, the target checks (PASS/MISS, informational) and the result files."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from measure import Stats
from peers import Measurement

MB = 1_000_000


@dataclass(frozen=True)
class Target:
    """A goal from the issues: a ratio of two medians, or a peak RSS, against a bound."""

    name: str
    numerator: str
    denominator: str | None
    """None: the value is the numerator's peak RSS in MB rather than a time ratio."""
    bound: float | None
    """None: reported, not judged (e.g. the distance to a floor no copy can pass)."""
    better: str
    """`<=` or `>=`."""
    reference: tuple[str, str] | None = None
    """The same ratio with a bare tool in the workbench's place: what is reachable here."""

    def value(self, stats: Mapping[str, Stats], pick: Callable[[Stats], float]) -> float | None:
        """The measured value, or None when a side was not measured."""
        top = stats.get(self.numerator)
        if top is None:
            return None
        if self.denominator is None:
            return top.max_rss_mb
        bottom = stats.get(self.denominator)
        return pick(top) / pick(bottom) if bottom else None

    def reference_value(self, stats: Mapping[str, Stats]) -> float | None:
        """The reference ratio from medians, or None."""
        if self.reference is None:
            return None
        top, bottom = (stats.get(key) for key in self.reference)
        return top.median / bottom.median if top and bottom else None

    def verdict(self, value: float | None) -> str:
        """PASS, MISS, info (no bound) or n/a."""
        if value is None:
            return "n/a"
        if self.bound is None:
            return "info"
        compare = operator.le if self.better == "<=" else operator.ge
        return "PASS" if compare(value, self.bound) else "MISS"


TARGETS = [
    Target("1 GiB, 1 destination: workbench / o/COPY", "wb_big", "ocopy1_big", 1.25, "<=",
           ("cp_b3sum_big", "ocopy1_big")),
    Target("1 GiB, 1 destination: workbench / (cp + sync)", "wb_big", "cp_sync_big", None, "<="),
    Target("1 GiB: 2 destinations / 1 destination", "wb2_big", "wb_big", 1.3, "<=",
           ("ocopy2_big", "ocopy1_big")),
    Target("1 GiB, 2 destinations: workbench / o/COPY with 2", "wb2_big", "ocopy2_big", 1.0,
           "<="),
    Target("5,000 x 20 KiB: workbench / o/COPY", "wb_small", "ocopy1_small", 0.25, "<=",
           ("cp_b3sum_small", "ocopy1_small")),
    Target("audit of 20,000 files: workbench / b3sum cold", "wb_audit", "b3sum_audit", 1.15,
           "<="),
    Target("peak RSS, audit of 20,000 files (MB)", "wb_audit", None, 150.0, "<="),
    Target("peak RSS, audit of 200,000 files (MB)", "wb_audit_large", None, 150.0, "<="),
    Target("peak RSS, copy of one 1 GiB file (MB)", "wb_big", None, 150.0, "<="),
    Target("peak RSS, copy of one 4 GiB sparse file (MB)", "wb_sparse", None, 150.0, "<="),
    Target("peak RSS, plan + copy of 100,000 small files (MB)", "wb_many", None, 300.0, "<="),
    Target("big file: workbench / minimal verified copy", "wb_big", "minimal_big", 1.0, "<=",
           ("cp_b3sum_big", "minimal_big")),
    Target("small files: workbench / minimal verified copy", "wb_small", "minimal_small",
           1.5, "<=", ("cp_b3sum_small", "minimal_small")),
    Target("big file: rsync --checksum / workbench (speed-up)", "rsync_big", "wb_big",
           3.0, ">=", ("rsync_big", "cp_b3sum_big")),
    Target("small files: rsync --checksum / workbench (speed-up)", "rsync_small", "wb_small",
           3.0, ">=", ("rsync_small", "cp_b3sum_small")),
    Target("audit: ascmhl-debug verify / workbench verify_case (speed-up)", "ascmhl_audit",
           "wb_audit", 20.0, ">=", ("ascmhl_audit", "b3sum_audit")),
    Target("1 GiB verified copy / the disk's floor (dd read, write+fsync, read-back "
           "overlapped)", "wb_big", "floor_overlap_big", 1.1, "<="),
]
"""The goals of issue 14 (first), then of issues 3 and 6, then 23. References: cp + b3sum for the
copies, b3sum for the audit, o/COPY's own two-destination cost."""


def _median(s: Stats) -> float:
    return s.median


def _best(s: Stats) -> float:
    return s.best


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def timing_table(measurements: list[Measurement], stats: Mapping[str, Stats],
                 sizes: Mapping[str, int], failures: Mapping[str, str]) -> str:
    """Markdown table: one row per measurement, seconds, throughput, noise, peak RSS."""
    lines = [
        "| data | command | best s | median s | worst s | runs | noise | MB/s (median) "
        "| CPU s (median) | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        s = stats.get(m.key)
        if s is None:
            reason = failures.get(m.key, "not run")
            lines.append(f"| {m.dataset} | {m.label} | failed: {reason[:120]} | | | | | | | |")
            continue
        speed = sizes.get(m.dataset, 0) / MB / s.median if s.median else 0.0
        lines.append(
            f"| {m.dataset} | {m.label} | {s.best:.3f} | {s.median:.3f} | {s.worst:.3f} "
            f"| {s.runs} | {s.noise:.0%} | {speed:.0f} | {s.cpu_median:.2f} "
            f"| {s.max_rss_mb:.0f} |"
        )
    return "\n".join(lines)


def target_rows(stats: Mapping[str, Stats]) -> list[dict[str, Any]]:
    """Each target with its value from medians (verdict) and from best times."""
    rows = []
    for t in TARGETS:
        value = t.value(stats, _median)
        bound = "report" if t.bound is None else f"{t.better} {t.bound:g}"
        rows.append({"target": t.name, "bound": bound,
                     "median": value, "best": t.value(stats, _best), "verdict": t.verdict(value),
                     "reference": t.reference_value(stats),
                     "reference_of": " / ".join(t.reference) if t.reference else None})
    return rows


def _reference(row: Mapping[str, Any]) -> str:
    if row["reference_of"] is None:
        return ""
    return f"{_fmt(row['reference'])} ({row['reference_of']})"


def target_table(rows: list[dict[str, Any]]) -> str:
    """Markdown table of the targets."""
    lines = ["| target | bound | value (medians) | value (best) | verdict | reference |",
             "|---|---|---:|---:|---|---|"]
    lines += [f"| {r['target']} | {r['bound']} | {_fmt(r['median'])} | {_fmt(r['best'])} "
              f"| {r['verdict']} | {_reference(r)} |" for r in rows]
    return "\n".join(lines)


def write(out_dir: Path, *, name: str, facts: Mapping[str, object], shape: Mapping[str, int],
          measurements: list[Measurement], stats: Mapping[str, Stats],
          sizes: Mapping[str, int], failures: Mapping[str, str], notes: list[str]) -> str:
    """Write `<name>.md` and `<name>.json` into `out_dir`; returns the Markdown."""
    rows = target_rows(stats)
    fact_lines = "\n".join(f"- {k}: {v}" for k, v in facts.items())
    shape_lines = ", ".join(f"{k}={v}" for k, v in shape.items())
    note_lines = "\n".join(f"- {n}" for n in notes)
    markdown = (
        "# Case Workbench benchmark\n\n"
        f"## Targets (informational)\n\n{target_table(rows)}\n\n"
        f"## Timings\n\n{timing_table(measurements, stats, sizes, failures)}\n\n"
        f"## Data\n\n{shape_lines}\n\n## Notes\n\n{note_lines}\n\n"
        f"## Machine\n\n{fact_lines}\n"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.md").write_text(markdown)
    payload = {
        "facts": dict(facts), "shape": dict(shape), "notes": notes, "targets": rows,
        "failures": dict(failures),
        "measurements": [
            {"key": m.key, "dataset": m.dataset, "label": m.label,
             **({"stats": asdict(stats[m.key])} if m.key in stats else {})}
            for m in measurements
        ],
    }
    (out_dir / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    return markdown

"""Fair timing of one subprocess: caches dropped first, wall time and its own peak RSS."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DROP_CACHES = Path("/proc/sys/vm/drop_caches")
GNU_TIME = "/usr/bin/time"


def can_drop_caches() -> bool:
    """True when this process may write `/proc/sys/vm/drop_caches` (root on Linux)."""
    return DROP_CACHES.exists() and os.access(DROP_CACHES, os.W_OK)


def fadvise_dontneed(root: Path) -> None:
    """Ask the kernel to forget the cached pages of every file under `root` (or `root` itself)."""
    files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def cold_start(inputs: Sequence[Path]) -> str:
    """Flush dirty pages and empty the page cache of `inputs`; returns the method used."""
    os.sync()
    if can_drop_caches():
        DROP_CACHES.write_text("3\n")
        return "drop_caches"
    for path in inputs:
        fadvise_dontneed(path)
    return "posix_fadvise"


@dataclass(frozen=True)
class Trial:
    """One timed run of one command."""

    seconds: float
    """The time that counts: the command's own report when it gives one, else wall time."""
    wall: float
    """Wall time of the whole subprocess, interpreter start included."""
    max_rss_mb: float
    """Peak resident set size of the command's largest process, MB (GNU time `%M`)."""
    cpu: float
    """CPU seconds (user + system, all threads): the command's own report, else GNU time's."""
    detail: dict[str, Any] = field(default_factory=dict)
    """The JSON object the command printed on its last stdout line, if any."""


class TrialError(RuntimeError):
    """A measured command exited non-zero or did not report what it promised."""


def run_trial(argv: Sequence[str], *, own_time: bool, cwd: Path | None = None) -> Trial:
    """Run `argv` once; with `own_time`, its last stdout line is JSON holding `seconds`.

    The peak RSS comes from GNU `time` wrapping the command: a child forked straight from
    this (large) harness would inherit the harness's high-water mark on Linux.
    """
    with tempfile.TemporaryDirectory() as tmp:
        rss_file, out_file, err_file = (Path(tmp) / n for n in ("rss", "out", "err"))
        with out_file.open("w") as out, err_file.open("w") as err:
            started = time.perf_counter()
            code = subprocess.call([GNU_TIME, "-f", "%M %U %S", "-o", str(rss_file), *argv],
                                   cwd=cwd, stdout=out, stderr=err)
            wall = time.perf_counter() - started
        stdout, stderr = out_file.read_text(), err_file.read_text()
        rss_kib, user, system = rss_file.read_text().split()[-3:]
    if code != 0:
        raise TrialError(f"{argv[0]} exited {code}: {stderr.strip()[-800:]}")
    detail = _last_json(stdout) if own_time else {}
    if own_time and "seconds" not in detail:
        raise TrialError(f"{argv[0]} printed no timing: {stdout.strip()[-400:]}")
    seconds = float(detail["seconds"]) if own_time else wall
    cpu = float(detail.get("cpu_seconds", float(user) + float(system)))
    return Trial(seconds=seconds, wall=wall, max_rss_mb=int(rss_kib) / 1024, cpu=cpu,
                 detail=detail)


def _last_json(stdout: str) -> dict[str, Any]:
    lines = stdout.strip().splitlines()
    if not lines:
        return {}
    try:
        parsed = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@dataclass(frozen=True)
class Stats:
    """Summary of repeated trials of one measurement."""

    best: float
    median: float
    worst: float
    runs: int
    max_rss_mb: float
    cpu_median: float

    @property
    def noise(self) -> float:
        """Spread of the trials relative to their median: (worst - best) / median."""
        return (self.worst - self.best) / self.median if self.median else 0.0


def summarise(trials: Sequence[Trial]) -> Stats:
    """Best, median and worst time of the trials and their highest peak RSS."""
    times = [t.seconds for t in trials]
    return Stats(
        best=min(times),
        median=statistics.median(times),
        worst=max(times),
        runs=len(times),
        max_rss_mb=max(t.max_rss_mb for t in trials),
        cpu_median=statistics.median(t.cpu for t in trials),
    )


if __name__ == "__main__":
    import sys

    for arg in sys.argv[1:]:
        fadvise_dontneed(Path(arg))

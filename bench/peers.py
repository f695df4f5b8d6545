"""Every timed command of the benchmark: the peers and the workbench, on the same data."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from datagen import DataSets

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent


def tool(name: str) -> str:
    """Absolute path of a command, preferring the venv's console scripts."""
    local = VENV_BIN / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"benchmark needs `{name}` on PATH")
    return found


Argv = Callable[[list[Path]], list[str]]
"""Builds the command line from the fresh destination folders of one trial."""


@dataclass(frozen=True)
class Measurement:
    """One command measured on one data set."""

    key: str
    """Stable id used by the targets and the JSON results."""
    dataset: str
    """`big`, `small`, `audit`, `sparse`, `many` or `audit-large`."""
    label: str
    """What the table shows."""
    source: Path
    """The input whose page cache is dropped before each trial."""
    argv: Argv
    """The command, given the trial's destination folders."""
    destinations: int = 1
    """How many empty destination folders each trial gets."""
    own_time: bool = False
    """The command prints its own `seconds` (Python jobs: imports excluded)."""
    cwd: Path | None = None
    """Working folder of the command."""
    max_runs: int | None = None
    """Cap on trials whatever the repeat count (long, informational runs)."""


def _sh(script: str) -> list[str]:
    return ["sh", "-c", script]


def _hash_all(program: str) -> list[str]:
    return _sh(f"find . -type f -print0 | xargs -0 {program} > /dev/null")


def _wb_copy(source: Path) -> Argv:
    def argv(dests: list[Path]) -> list[str]:
        extra = [arg for d in dests[1:] for arg in ("--also-to", str(d))]
        return [PYTHON, str(HERE / "wb_job.py"), "copy", str(source), "--root", str(dests[0]),
                *extra]
    return argv


def copy_measurements(name: str, src: Path, *, two_destinations: bool,
                      slow_runs: int | None = None) -> list[Measurement]:
    """The copy peers and the workbench on one source folder; `slow_runs` caps o/COPY."""
    ocopy = tool("ocopy")
    found = [
        Measurement(f"cp_sync_{name}", name, "(g) cp -r + sync (the floor of a synced copy)",
                    src, lambda d: _sh(f"cp -r '{src}' '{d[0]}/' && sync")),
        Measurement(f"minimal_{name}", name, "(a) minimal verified copy", src,
                    lambda d: [PYTHON, str(HERE / "minimal_copy.py"), str(src), str(d[0])],
                    own_time=True),
        Measurement(f"cp_b3sum_{name}", name, "(b) cp + sync + b3sum src/dst", src,
                    lambda d: ["sh", str(HERE / "cp_b3sum.sh"), str(src), str(d[0]), PYTHON]),
        Measurement(f"rsync_{name}", name, "(c) rsync -a --checksum", src,
                    lambda d: [tool("rsync"), "-a", "--checksum", f"{src}/",
                               str(d[0] / src.name) + "/"]),
        Measurement(f"sha256_{name}", name, "(d) sha256sum of the source", src,
                    lambda d: _hash_all("sha256sum"), cwd=src),
        Measurement(f"ocopy1_{name}", name, "(e) o/COPY, 1 destination", src,
                    lambda d: [ocopy, str(src), str(d[0])], max_runs=slow_runs),
        Measurement(f"wb_{name}", name, "workbench run_copy, 1 destination", src,
                    _wb_copy(src), own_time=True),
    ]
    if two_destinations:
        found += [
            Measurement(f"ocopy2_{name}", name, "(e) o/COPY, 2 destinations", src,
                        lambda d: [ocopy, str(src), str(d[0]), str(d[1])], destinations=2),
            Measurement(f"wb2_{name}", name, "workbench run_copy, 2 destinations (also_to)",
                        src, _wb_copy(src), destinations=2, own_time=True),
        ]
    return found


def floor_measurements(src: Path) -> list[Measurement]:
    """The disk's own floor for a cold-verified copy of `src` (one big file), with `dd`."""
    def floor(mode: str) -> Argv:
        return lambda d: [PYTHON, str(HERE / "disk_floor.py"), mode, str(src), str(d[0])]

    return [
        Measurement("floor_read_big", "big", "(h) dd cold read of the source (O_DIRECT)", src,
                    floor("read"), own_time=True),
        Measurement("floor_write_big", "big", "(h) dd write + fsync of the same bytes "
                    "(O_DIRECT, source cached)", src, floor("write"), own_time=True),
        Measurement("floor_readback_big", "big", "(h) dd cold read of the written copy "
                    "(O_DIRECT)", src, floor("readback"), own_time=True),
        Measurement("floor_overlap_big", "big", "(h) the three overlapped region by region "
                    "(the disk's floor of a cold-verified copy)", src, floor("overlapped"),
                    own_time=True),
    ]


def all_measurements(sets: DataSets, audit_case: Path, audit_large_case: Path, *,
                     sparse: bool) -> list[Measurement]:
    """Everything one benchmark run times, in the order of the table."""
    found = copy_measurements("big", sets.big, two_destinations=True)
    found += floor_measurements(sets.big)
    found += copy_measurements("small", sets.small, two_destinations=False, slow_runs=1)
    found += [
        Measurement("b3sum_audit", "audit", "b3sum of every file (hashing floor)", sets.audit,
                    lambda d: _hash_all("b3sum"), cwd=sets.audit),
        Measurement("ascmhl_audit", "audit", "(f) ascmhl-debug verify (xxh128)",
                    sets.audit_mhl, lambda d: [tool("ascmhl-debug"), "verify",
                                               str(sets.audit_mhl)], max_runs=2),
        Measurement("wb_audit", "audit", "workbench verify_case", audit_case,
                    lambda d: [PYTHON, str(HERE / "wb_job.py"), "verify", str(audit_case)],
                    own_time=True),
    ]
    if sparse:
        found.append(Measurement("wb_sparse", "sparse", "workbench run_copy of a sparse file",
                                 sets.sparse, _wb_copy(sets.sparse), own_time=True, max_runs=1))
    found += [
        Measurement("wb_many", "many", "workbench plan_copy + run_copy in one process",
                    sets.many, _wb_copy(sets.many), own_time=True, max_runs=1),
        Measurement("wb_audit_large", "audit-large", "workbench verify_case", audit_large_case,
                    lambda d: [PYTHON, str(HERE / "wb_job.py"), "verify", str(audit_large_case)],
                    own_time=True, max_runs=1),
    ]
    return found

"""Facts about the machine and the tools, recorded with every result."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from peers import tool


def _first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mount_of(path: Path) -> str:
    """`device type options` of the mount holding `path`."""
    best = ("", "unknown")
    for line in Path("/proc/mounts").read_text().splitlines():
        device, point, fstype, options, *_ = line.split()
        if str(path).startswith(point) and len(point) >= len(best[0]):
            best = (point, f"{device} {fstype} {options} (mounted at {point})")
    return best[1]


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_state() -> str:
    """The commit measured, and the files under `workbench/` that differ from it."""
    repo = Path(__file__).resolve().parent.parent
    head = _first_line(["git", "-C", str(repo), "log", "-1", "--format=%h %cI %s"])
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--short", "--", "workbench"],
                           capture_output=True, text=True).stdout.split("\n")
    changed = [line.strip() for line in dirty if line.strip()]
    return f"{head}; uncommitted in workbench/: {', '.join(changed) or 'none'}"


def facts(scratch: Path, cache_method: str, git: str) -> dict[str, object]:
    """CPU, memory, kernel, file system and tool versions; `git` is `git_state()` at the start."""
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": round(pages / 2**30, 1),
        "kernel": platform.release(),
        "os": _first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "scratch": str(scratch),
        "filesystem": _mount_of(scratch.resolve()),
        "cache_drop": cache_method,
        "python": platform.python_version(),
        "cp": _first_line(["cp", "--version"]),
        "rsync": _first_line([tool("rsync"), "--version"]),
        "b3sum": _first_line([tool("b3sum"), "--version"]),
        "sha256sum": _first_line([tool("sha256sum"), "--version"]),
        "ocopy": _first_line([tool("ocopy"), "--version"]),
        "ascmhl": _package("ascmhl"),
        "blake3 (python)": _package("blake3"),
        "xxhash (python)": _package("xxhash"),
        "case-workbench": _package("case-workbench"),
        "git (at start)": git,
    }

"""Shared fixtures: every test runs with its own empty workbench home; a case, a one-level
template, a small source export and plans of it for the tests of every room.

`--portable` runs the tests on the seam's portable implementation with every call that Windows
or macOS lacks removed from `os`, so the paths those systems take run for real on Linux
(`.ci/run` runs the tests this way too).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.hashing import platform
from workbench.processing import CopyPlan, plan_copy
from workbench.reports import commands as report_commands
from workbench.templates import Template, TemplateLevel

PlanFor = Callable[..., CopyPlan]

NOT_EVERYWHERE = (
    "readv", "preadv", "pread", "pwritev", "pwrite", "posix_fadvise", "posix_fallocate",
    "fdatasync", "fchmod", "sync", "O_CLOEXEC", "O_DIRECTORY", "O_DIRECT",
)
"""Names of `os` that Windows or macOS lacks: gone from `os` in the portable profile."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--portable", action="store_true",
                     help="run on the portable platform, without the calls Windows/macOS lack")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "native: needs this OS's own calls (not --portable)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--portable"):
        skip = pytest.mark.skip(reason="exercises this OS's own calls, not the portable ones")
        for item in items:
            if "native" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def portable_profile(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """With `--portable`: the Linux-only calls removed from `os` and the portable platform in
    place of this OS's (built after the removal, so it cannot have kept any of them)."""
    if not request.config.getoption("--portable"):
        return False
    for name in NOT_EVERYWHERE:
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.setattr(os, "supports_fd", os.supports_fd - {os.utime})  # as on Windows
    monkeypatch.setattr(platform, "SYSTEM", platform.Platform())
    return True


@pytest.fixture(autouse=True)
def workbench_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An isolated `WORKBENCH_HOME` so no test reads or writes the user's settings."""
    home = tmp_path_factory.mktemp("workbench-home")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def case_reports_off(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report written after every copy, audit, footage analysis and export costs about a
    second a step here: off, except in the tests that ask for `case_reports`."""
    if "case_reports" not in request.fixturenames:
        monkeypatch.setattr(report_commands, "AFTER_EVERY_STEP", False)


@pytest.fixture
def case_reports() -> None:
    """Each case folder's report kept current after every step, as outside the tests."""
    assert report_commands.AFTER_EVERY_STEP


@pytest.fixture
def case() -> CaseData:
    return CaseData(occurrence="2026-004512", business="Corner Store", technician="A. Analyst",
                    badge_number="4711")


@pytest.fixture
def template() -> Template:
    return Template(id="by-occurrence", name="By occurrence",
                    levels=[TemplateLevel(pattern="{occurrence}")])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A small export: two cameras, a zero-byte file and a text file."""
    root = tmp_path / "export"
    files = {
        "CAM01/a.dav": b"A" * 5000,
        "CAM01/b.dav": os.urandom(70_000),
        "CAM02/c.dav": b"",
        "info.txt": b"sample export\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture
def plan_for(tmp_path: Path, case: CaseData, template: Template) -> PlanFor:
    """`plan_for(sources, root="cases", also_to=(), algorithms=None)` with the test case."""

    def make(
        sources: Sequence[Path], root: str | Path = "cases", *, also_to: Sequence[Path] = (),
        algorithms: Sequence[str] | None = ("blake3", "xxh128"),
    ) -> CopyPlan:
        return plan_copy(list(sources), case, template, tmp_path / root, also_to=also_to,
                         algorithms=algorithms)

    return make


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


@pytest.fixture
def files_under() -> Callable[[Path], set[str]]:
    """`files_under(folder)`: relative POSIX paths of every file under `folder`."""
    return _files_under


class Tmpfs:
    """Small tmpfs mounts under a test's folder (Linux, as root); `skip` when not permitted."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.mounted = folder, list[Path]()

    def mount(self, name: str, *options: str) -> Path:
        point = self.folder / name
        point.mkdir()
        self._run("-t", "tmpfs", "-o", ",".join(("size=1m", *options)), "tmpfs", str(point))
        self.mounted.append(point)
        return point

    def remount(self, point: Path, option: str) -> None:
        """Remount `point` with `option` (`ro`, `rw`)."""
        self._run("-o", f"remount,{option}", str(point))

    def _run(self, *args: str) -> None:
        done = subprocess.run(["mount", *args], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Tmpfs]:
    """Mount tmpfs file systems for a test (unmounted after it)."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("mounts a Linux tmpfs")
    mounts = Tmpfs(tmp_path)
    yield mounts
    for point in reversed(mounts.mounted):
        subprocess.run(["umount", str(point)], check=True)


# Killing a copy for real: a child process whose writes crawl, SIGKILLed while a `.partial`
# of it exists, so a test can check what the next run does with what the killed one left.

SLOW_WRITES = """
import time
from workbench.hashing import partial
_write_all = partial.write_all
def _crawling(fd, data):
    time.sleep(0.25)
    _write_all(fd, data)
partial.write_all = _crawling
"""
"""Prepended to a child's script: every chunk written waits a quarter of a second."""


def _kill_while_partial(script: str, watch: Path, timeout: float = 60.0) -> None:
    """Run `script` in a child Python with slow writes; SIGKILL it as soon as a `.partial`
    shows under `watch`, and reap it (a zombie would still count as running)."""
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITES + script])
    deadline = time.monotonic() + timeout
    try:
        while not (watch.exists() and any(watch.rglob("*.partial"))):
            assert child.poll() is None, f"the child ended ({child.returncode}) before a partial"
            assert time.monotonic() < deadline, "no partial file appeared"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL


@pytest.fixture
def kill_while_partial() -> Callable[..., None]:
    """`kill_while_partial(script, watch)`: run `script` in a child Python (this test's
    environment, slow writes) and SIGKILL it once a `.partial` shows under `watch`."""
    return _kill_while_partial

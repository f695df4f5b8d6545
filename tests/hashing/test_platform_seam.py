"""The seam itself: no module outside `hashing/platform/` makes an OS-specific call, one
implementation is chosen per OS, and the portable one says its read-backs are not cache-free."""

from __future__ import annotations

import ast
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.hashing import platform
from workbench.processing import run_copy

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"
SEAM = PACKAGE / "hashing" / "platform"
MODULES = frozenset({"fcntl", "ctypes", "msvcrt", "_winapi", "winreg"})
"""Modules only the seam imports."""
OS_CALLS = frozenset({"readv", "preadv", "pread", "pwrite", "pwritev", "posix_fadvise", "link",
                      "open", "fsync"})
"""`os` names only the seam uses: Linux-only calls, and the opens (binary mode on Windows) and
syncs (F_FULLFSYNC on macOS) that each OS must do its own way."""
BELOW_THE_SEAM = {PACKAGE / "atomic.py": {"open", "fsync"}}
"""A room under `hashing` cannot call the seam: it opens and syncs its own temp files."""


def violations(path: Path) -> Iterator[str]:
    allowed = BELOW_THE_SEAM.get(path, set())
    shown = path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE.parent) else path
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] in MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in MODULES:
                names = [node.module]
            elif node.module == "os":
                names = [f"os.{a.name}" for a in node.names if a.name in OS_CALLS - allowed]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "os" and node.attr in OS_CALLS - allowed):
            names = [f"os.{node.attr}"]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant)
              and node.args[1].value in OS_CALLS - allowed):
            names = [f"{node.func.id}(os, {node.args[1].value!r})"]
        yield from (f"{shown}:{node.lineno}: {name}" for name in names)


def test_only_the_seam_makes_os_specific_calls() -> None:
    outside = [path for path in PACKAGE.rglob("*.py") if not path.is_relative_to(SEAM)]
    found = [line for path in sorted(outside) for line in violations(path)]
    assert found == [], (
        "call workbench.hashing.platform.SYSTEM (open_read, open_new, open_append, fsync, "
        "publish_no_clobber, open_readback, ...) instead:\n" + "\n".join(found)
    )


def test_the_static_check_sees_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import fcntl\nfrom ctypes import CDLL\nimport os\n"
                      "os.readv(0, [])\nos.link('a', 'b')\nhasattr(os, 'posix_fadvise')\n")
    assert sorted(line.rsplit(": ", 1)[1] for line in violations(sample)) == sorted([
        "fcntl", "ctypes", "os.readv", "os.link", "hasattr(os, 'posix_fadvise')",
    ])


def test_one_implementation_is_chosen_for_this_os(portable_profile: bool) -> None:
    expected = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(
        "linux" if sys.platform.startswith("linux") else sys.platform, "portable")
    assert platform.SYSTEM.name == ("portable" if portable_profile else expected)


def test_a_portable_copy_is_verified_but_says_its_read_back_was_not_cache_free(
    source: Path, plan_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "SYSTEM", platform.Platform())
    report = run_copy(plan_for([source]))
    assert report.outcome == "completed"
    assert report.read_back_cache_free is False
    custody = (report.plan.destination / "_evidence" / "custody.jsonl").read_text()
    assert '"read_back_cache_free": false' in custody


def test_without_hard_links_the_portable_platform_refuses_to_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    partial, final = tmp_path / "a.dav.partial", tmp_path / "a.dav"
    partial.write_bytes(b"evidence")
    with pytest.raises(OSError) as caught:
        platform.Platform().publish_no_clobber(partial, final)
    assert caught.value.errno == errno.EOPNOTSUPP
    assert partial.read_bytes() == b"evidence" and not final.exists()


def test_portable_opens_are_binary_and_private() -> None:
    seam = platform.Platform()
    for flags in (seam.read_flags, seam.new_flags, seam.append_flags):
        assert flags & getattr(os, "O_BINARY", 0) == getattr(os, "O_BINARY", 0)
        assert flags & getattr(os, "O_CLOEXEC", 0) == getattr(os, "O_CLOEXEC", 0)
    assert seam.new_flags & os.O_EXCL and seam.new_flags & os.O_CREAT

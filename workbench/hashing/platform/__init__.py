"""The platform seam: every call that differs between Linux, macOS and Windows lives in this
package, behind `Platform` (base.py), with one implementation per OS chosen once, here.

Callers use `platform.SYSTEM` (looked up on this module at each call, so the test profile
that runs the portable paths on Linux can put the portable implementation in its place).
"""

from __future__ import annotations

import sys

from workbench.hashing.platform.base import FdSource, FileSource, Platform, Regions


def _choose() -> Platform:
    if sys.platform == "win32":
        from workbench.hashing.platform.windows import WindowsPlatform

        return WindowsPlatform()
    if sys.platform == "darwin":
        from workbench.hashing.platform.macos import MacPlatform

        return MacPlatform()
    if sys.platform.startswith("linux"):
        from workbench.hashing.platform.linux import LinuxPlatform

        return LinuxPlatform()
    return Platform()  # another POSIX system: the portable paths


SYSTEM: Platform = _choose()
"""The implementation for the operating system this process runs on."""

__all__ = ["SYSTEM", "FdSource", "FileSource", "Platform", "Regions"]

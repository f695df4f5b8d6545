"""Who ran the tool, where, and which version: written into every evidence record."""

from __future__ import annotations

import getpass
import os
import socket

from workbench.version import __version__


def identity() -> tuple[str, str, str]:
    """(operating-system user, host name, tool version)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return user, socket.gethostname(), __version__

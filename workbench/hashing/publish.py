"""Moving a finished file into place without ever replacing one that is already there."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from workbench.hashing import libc

_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def publish_no_clobber(partial: Path, final: Path) -> None:
    """Move `partial` to `final`, never replacing a file (FileExistsError if one is there)."""
    try:
        os.link(partial, final)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOTSUP):
            raise
        _rename_noreplace(partial, final)  # file systems without hard links (FAT, exFAT)
        return
    partial.unlink()


def _rename_noreplace(source: Path, target: Path) -> None:
    if not libc.has("renameat2"):
        raise OSError(errno.EOPNOTSUPP, "no-clobber rename is not available", str(target))
    try:
        libc.call("renameat2", _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target),
                  _RENAME_NOREPLACE)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None

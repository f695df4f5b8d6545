"""Moving a finished file into place without ever replacing one that is already there."""

from __future__ import annotations

from pathlib import Path

from workbench.hashing import platform


def publish_no_clobber(partial: Path, final: Path) -> None:
    """Move `partial` to `final`, never replacing a file (FileExistsError if one is there):
    Linux `renameat2(RENAME_NOREPLACE)` or a hard link, macOS `renamex_np(RENAME_EXCL)`,
    Windows `MoveFileExW` without `MOVEFILE_REPLACE_EXISTING`."""
    platform.SYSTEM.publish_no_clobber(partial, final)

"""Evidence commands: identify a source's volume, list the mounted ones. Thin: check, then
call."""

from __future__ import annotations

import os

from workbench.evidence import volumes
from workbench.evidence.volumes import SourceVolume
from workbench.hashing.platform.volumes import Volume, mounted_volumes
from workbench.paths import absolute

__all__ = ["list_volumes", "source_volume"]


def source_volume(source: str | os.PathLike[str]) -> SourceVolume:
    """The volume `source` is read from: mount point, file system, read-only or not, label,
    UUID/serial and size where the OS exposes them, and `.advisory` when it is writable."""
    return volumes.identify(absolute(source))


def list_volumes() -> list[Volume]:
    """Every mounted volume on a device, removable ones first (what the folder browser lists)."""
    return mounted_volumes()

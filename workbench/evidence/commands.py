"""Evidence commands: audit a case folder against its record; identify a source's volume.
Thin: check, then call."""

from __future__ import annotations

import os

from workbench.events import CancelToken
from workbench.evidence import audit, volumes
from workbench.evidence.layout import absolute
from workbench.evidence.progress import ProgressCallback
from workbench.evidence.types import VerifyReport
from workbench.evidence.volumes import SourceVolume
from workbench.hashing.platform.volumes import Volume, mounted_volumes

__all__ = ["list_volumes", "source_volume", "verify_case"]


def verify_case(
    case_dir: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> VerifyReport:
    """Re-hash the case folder from disk against its manifest: ok / modified / missing / extra."""
    return audit.verify_case(case_dir, on_progress=on_progress, cancel=cancel)


def source_volume(source: str | os.PathLike[str]) -> SourceVolume:
    """The volume `source` is read from: mount point, file system, read-only or not, label,
    UUID/serial and size where the OS exposes them, and `.advisory` when it is writable."""
    return volumes.identify(absolute(source))


def list_volumes() -> list[Volume]:
    """Every mounted volume on a device, removable ones first (what the folder browser lists)."""
    return mounted_volumes()

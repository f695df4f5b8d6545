"""Evidence commands: audit a case folder against its record; identify a source's volume.
Thin: check, then call."""

from __future__ import annotations

import os

from workbench.events import CancelToken
from workbench.evidence import audit, volumes
from workbench.evidence.progress import ProgressCallback
from workbench.evidence.types import VerifyReport
from workbench.evidence.volumes import SourceVolume
from workbench.hashing.platform.volumes import Volume, mounted_volumes
from workbench.paths import absolute

__all__ = ["list_volumes", "source_volume", "verify_case"]


def verify_case(
    case_dir: str | os.PathLike[str],
    against: str | os.PathLike[str] | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> VerifyReport:
    """Re-hash a folder from disk against its record: ok / modified / missing / extra.

    Without `against`, the best record the folder carries: its own `_evidence` manifest,
    else an ASC MHL history, else a BagIt bag, else its checksum lists (md5sum, sha1sum,
    sha256sum, sha512sum, b3sum, hashdeep, the desktop app's hash CSV). `against` names a
    record explicitly: a list or CSV file, a history folder or a bag. The report's
    `records` says which record(s) were used, `problems` what in them could not be used.
    """
    return audit.verify_case(case_dir, against=against, on_progress=on_progress, cancel=cancel)


def source_volume(source: str | os.PathLike[str]) -> SourceVolume:
    """The volume `source` is read from: mount point, file system, read-only or not, label,
    UUID/serial and size where the OS exposes them, and `.advisory` when it is writable."""
    return volumes.identify(absolute(source))


def list_volumes() -> list[Volume]:
    """Every mounted volume on a device, removable ones first (what the folder browser lists)."""
    return mounted_volumes()

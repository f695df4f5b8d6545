"""What each source came from: its volume, for the custody log, the run report and the report.

A source on a volume mounted read-write could be changed by the very machine reading it;
that earns an advisory (use a write blocker or mount it read-only), never an error.
"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import EvidenceError, payload_from_os_error
from workbench.hashing.platform.volumes import Volume, volume_of


class SourceVolume(Volume):
    """One source of a copy and the volume it was read from."""

    source: Path
    """The source file or folder, absolute."""

    @property
    def advisory(self) -> str | None:
        """Why this source is not write-protected, as advice (None when it is read-only)."""
        if self.read_only:
            return None
        state = ("is on a volume mounted read-write" if self.read_only is False
                 else "is on a volume whose read-only state the system does not report")
        return (f"{self.source} {state} ({self.mount_point}): use a write blocker or mount it "
                "read-only, so nothing can change the evidence while it is read.")


def identify(source: Path) -> SourceVolume:
    """The volume `source` lives on; raises `EvidenceError` when it cannot be reached."""
    try:
        volume = volume_of(source)
    except OSError as exc:
        payload = payload_from_os_error(exc, str(source), "identify the volume of")
        raise EvidenceError(payload) from exc
    return SourceVolume(source=source, **dict(volume))

"""Types of an export: the packaged files and the report of one ZIP or BagIt export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from workbench.errors import ErrorPayload, ExportError
from workbench.events import Outcome
from workbench.evidence.types import VerifyRow, timing
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

ExportFormat = Literal["zip", "bagit"]
"""`zip` for disclosure, `bagit` (RFC 8493) for a digital-evidence archive."""
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("zip", "bagit")
"""Every export format."""
MemberKind = Literal["evidence", "record", "copy-record"]
"""A file of the case (outside its record folders), of the case's own record, or (in a bag)
of the record the copy into the bag wrote (`data/_evidence`, `data/ascmhl`)."""
MEMBER_COLUMNS = ["name", "relative", "kind", "size", "blake3", "crc32", "sha256", "sha512",
                  "audit", "verified"]
"""Columns of an export's member table."""


class ExportMember(Contract):
    """One file of the case folder as packaged: a ZIP member or a file of a bag."""

    error_class: ClassVar = ExportError

    name: str
    """Its name in the package (`<case folder>/...` in a ZIP, `data/...` in a bag)."""
    relative: PurePosixPath
    """Its path in the case folder (for a `copy-record`, in the bag's `data/`)."""
    kind: MemberKind
    """`evidence`, `record` (the case's own evidence record) or `copy-record` (a bag's)."""
    size: int
    """Bytes."""
    blake3: str
    """blake3 of the packaged bytes, read back from disk."""
    crc32: str | None = None
    """CRC-32 of a ZIP member (8 hex digits), checked against the archive's directory."""
    sha256: str | None = None
    """SHA-256 of a bag file (its `manifest-sha256.txt` entry)."""
    sha512: str | None = None
    """SHA-512 of a bag file (its `manifest-sha512.txt` entry)."""
    audit: str
    """What the audit said of it before packaging: ok, modified, extra, or `record`."""
    verified: bool
    """True once its bytes were read back from the package on disk and matched."""


class ExportReport(Contract):
    """The result of `export_case`: a verified package and what went into it."""

    error_class: ClassVar = ExportError

    format: ExportFormat
    """zip or bagit."""
    case_dir: Path
    """The case folder that was exported (never changed, apart from its record)."""
    path: Path
    """The archive file, or the bag folder."""
    size: int
    """Bytes of the archive, or of every file of the bag."""
    digests: dict[str, str]
    """sha256 and blake3 of the archive (of a bag: of its `tagmanifest-sha256.txt`, which
    covers every other manifest)."""
    digest_of: str
    """The file `digests` are of (the archive's name, or `tagmanifest-sha256.txt`)."""
    sidecars: list[Path] = Field(default_factory=list)
    """Checksum files written beside the archive (`sha256sum -c`, `b3sum --check`)."""
    verified: bool
    """True only when every packaged byte was read back from disk and matched."""
    members: list[ExportMember]
    """Every packaged file of the case folder, in package order."""
    audit_problems: list[VerifyRow] = Field(default_factory=list)
    """The audit's rows that were not ok (exported anyway only with `allow_failed`)."""
    record: str | None = None
    """The export's run record inside the case folder (`exports/<UTC>_<format>.json`)."""
    started: datetime
    """UTC start."""
    finished: datetime
    """UTC end."""
    record_errors: list[ErrorPayload] = Field(default_factory=list)
    """Sidecar or custody-log writes that failed (the package itself stands)."""
    outcome: Outcome = "completed"
    """`cancelled`: stopped on its token; no package, sidecar or partial file was left at
    `path`, nothing is verified and the cancel is in the case's custody log."""

    def to_frame(self) -> pd.DataFrame:
        """One row per packaged file: name, relative, kind, size, digests, audit, verified."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [{**member.model_dump(), "relative": member.relative.as_posix()}
             for member in self.members],
            columns=MEMBER_COLUMNS,
        )
        return frame

    def summary(self) -> dict[str, Any]:
        """Format, verified, files, bytes, audit problems, duration (s), throughput (MB/s)."""
        payload = sum(member.size for member in self.members)
        return {
            "format": self.format,
            "verified": self.verified,
            "files": len(self.members),
            "bytes": payload,
            "size": self.size,
            "audit_problems": len(self.audit_problems),
            **timing(self.started, self.finished, payload),
        }

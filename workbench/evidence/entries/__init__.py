"""The custody-log entry types: `CustodyEntry`, a union told apart by `event` (the contract of
one line of `_evidence/custody.jsonl`). Fields a release added later are optional, and a field
this release does not know is kept (`extra="allow"`), so a log written by an older or a newer
release still reads; a line of an event it does not know reads as `OtherEntry`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Tag, TypeAdapter

__all__ = [
    "CLEANUP_EVENT", "REPAIR_EVENT", "AuditEntry", "CleanupEntry", "CopyEntry", "CustodyEntry",
    "DerivedEntry",
    "ExportEntry", "OtherEntry", "RepairEntry", "custody_adapter",
]

CLEANUP_EVENT = "crash cleanup"
"""The event of partials removed after a killed copy."""
REPAIR_EVENT = "record repair"
"""The event of an ASC MHL history repaired after an interrupted run."""


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow", use_attribute_docstrings=True)

    user: str
    """Who ran the tool (the OS account)."""
    host: str
    """The machine it ran on."""
    tool_version: str
    """The workbench version that wrote the line."""
    started: str | None = None
    """When the work started, ISO-8601 UTC (a failed export's line has none)."""
    finished: str
    """When the work finished, ISO-8601 UTC."""
    outcome: str
    """How it ended: `completed`, `ok`, `problems found`, `cancelled`, a repair's sentence..."""
    previous_sha256: str | None = None
    """SHA-256 (hex) of the line before this one in the log; empty on the first line, absent
    in logs from before the chain."""

    def counts_of(self) -> dict[str, int]:
        """Files by status, for the events that count them (empty otherwise)."""
        return {}


class CopyEntry(_Entry):
    """A verified copy into this case folder (one line per destination)."""

    event: Literal["copy"] = "copy"
    destination: str
    """The case folder written."""
    role: str
    """`master` or `working`."""
    sources: list[str]
    """The source files and folders, as given."""
    source_volumes: list[Any] = []
    """The volume each source was read from, as `SourceVolume` fields (older logs: none);
    readers validate each item and pass over one that is not a volume."""
    template_id: str
    """The folder template that named the case folder."""
    case: dict[str, Any]
    """The case data as recorded (`CaseData.from_record` reads it back)."""
    technician: str | None = None
    """The technician of the case, if given."""
    badge_number: str | None = None
    """Their badge number, if given."""
    algorithms: list[str]
    """Hash algorithms of the copy, blake3 first."""
    source_records: list[Any] = []
    """Other tools' records found with the sources, and how they matched."""
    counts: dict[str, int]
    """Files by status."""
    bytes: int
    """Bytes verified."""
    read_back_cache_free: bool | None = None
    """Whether the read-back bypassed the page cache."""
    record_digests: list[dict[str, Any]] = []
    """The digest of every record file as this run left it (`evidence.integrity`; older logs:
    none), so a later edit of a manifest or a history file is seen."""
    report: str | None = None
    """The run report, relative to `_evidence/`."""

    def counts_of(self) -> dict[str, int]:
        return self.counts


class AuditEntry(_Entry):
    """An audit of this case folder against its record."""

    event: Literal["audit"] = "audit"
    destination: str
    """The case folder audited."""
    counts: dict[str, int]
    """Files by status."""
    bytes: int
    """Bytes found ok."""
    read_back_cache_free: bool | None = None
    """Whether the read-back bypassed the page cache."""

    def counts_of(self) -> dict[str, int]:
        return self.counts


class ExportEntry(_Entry):
    """A ZIP or BagIt export of this case folder, verified or failed."""

    event: Literal["export"] = "export"
    format: str
    """`zip` or `bagit`."""
    path: str
    """The package written (or that was to be written)."""
    report: str | None = None
    """The export's run record, relative to `_evidence/`."""
    verified: bool | None = None
    """Whether the package was read back and matched."""
    size: int | None = None
    """The archive's size in bytes (a bag: none)."""
    sha256: str | None = None
    """SHA-256 of the archive (a bag: of its tag manifest)."""
    blake3: str | None = None
    """BLAKE3 of the same bytes."""
    members: int | None = None
    """Files in the package."""
    sidecars: list[str] | None = None
    """Checksum files written beside a ZIP."""
    digest_of: str | None = None
    """What the digests are of, when not the archive itself (a bag's tag manifest)."""
    payload_oxum: str | None = None
    """A bag's Payload-Oxum (bytes.files)."""
    error: str | None = None
    """Why it failed or stopped: the error's type and sentence."""


class CleanupEntry(_Entry):
    """Partial files removed after a copy was killed."""

    event: Literal["crash cleanup"] = "crash cleanup"
    files: list[str]
    """The partial files removed, relative to the case folder."""


class RepairEntry(_Entry):
    """An ASC MHL history completed or tidied after an interrupted run."""

    event: Literal["record repair"] = "record repair"
    file: str
    """The generation file repaired, relative to the case folder."""
    c4: str | None = None
    """Its C4 ID, when it was completed into the chain."""
    kept: str | None = None
    """Where it was moved aside to, when it was not."""


class DerivedEntry(_Entry):
    """Playable copies or a timeline video made from this case's footage (never evidence)."""

    event: Literal["derived"] = "derived"
    kind: str
    """What was made: playable copies or a timeline video."""
    tool: str
    """What made it, and how (stream copy, or re-encoded)."""
    ffmpeg: str
    """The FFmpeg inside PyAV that did it."""
    settings: dict[str, Any]
    """The settings of the run."""
    window: list[str] | None = None
    """A timeline's window, start and end, ISO-8601."""
    outputs: list[dict[str, Any]]
    """Each file made: its path, BLAKE3, status, and the sources it came from."""


class OtherEntry(_Entry):
    """A line of an event this release does not know (written by a newer one)."""

    event: str


_EVENTS: dict[str, type[_Entry]] = {
    "copy": CopyEntry, "audit": AuditEntry, "export": ExportEntry, "derived": DerivedEntry,
    CLEANUP_EVENT: CleanupEntry, REPAIR_EVENT: RepairEntry,
}
"""Each known event and its entry type."""


def _event(value: Any) -> str:
    event = value.get("event") if isinstance(value, dict) else getattr(value, "event", None)
    return event if event in _EVENTS else "other"


CustodyEntry = Annotated[
    Annotated[CopyEntry, Tag("copy")] | Annotated[AuditEntry, Tag("audit")]
    | Annotated[ExportEntry, Tag("export")] | Annotated[DerivedEntry, Tag("derived")]
    | Annotated[CleanupEntry, Tag(CLEANUP_EVENT)]
    | Annotated[RepairEntry, Tag(REPAIR_EVENT)] | Annotated[OtherEntry, Tag("other")],
    Discriminator(_event),
]
"""One line of the custody log, told apart by its `event`."""

custody_adapter: TypeAdapter[CustodyEntry] = TypeAdapter(CustodyEntry)

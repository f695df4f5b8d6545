"""Types of the conversion room: playable copies (`PlayableReport`, one `PlayableRow` per
output) and the timeline video (`TimelineVideo` with its `TimelineSegment`s)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from pydantic import Field

from workbench.errors import ConversionError, ErrorPayload
from workbench.events import Outcome
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

Container = Literal["mkv", "mp4"]
"""Containers a playable copy is written in."""
PlayableStatus = Literal["lossless_verified", "partial", "mismatch", "error", "cancelled",
                         "skipped"]
"""What became of one output: proven packet for packet, a copy of what a damaged source
holds, a copy that did not read back equal (removed), not made, stopped, or not needed."""
PLAYABLE_COLUMNS = [
    "camera", "sources", "output", "status", "packets", "recorder_start", "real_start",
    "missing_bytes", "filled_timestamps", "exact_timestamps", "frames_compared",
    "output_blake3", "error",
]
"""Columns of `PlayableReport.to_frame()`."""


class PlayableRow(Contract):
    """One playable copy: the master clip(s) it came from, where it is, what its proof says."""

    error_class: ClassVar = ConversionError

    camera: str
    """The camera (or channel) of its clips."""
    sources: list[PurePosixPath]
    """The master clip(s), relative to the case folder (several when joined, in time order)."""
    source_blake3: list[str | None] = Field(default_factory=list)
    """blake3 of each master clip, hashed in the very read that copied its packets."""
    output: Path | None = None
    """The playable copy (None when none was kept)."""
    subtitles: Path | None = None
    """The `.srt` beside it, when the container holds no subtitle track (MP4)."""
    container: Container
    """mkv or mp4."""
    status: PlayableStatus
    """lossless_verified, partial, mismatch, error, cancelled or skipped."""
    packets: int = 0
    """Packets copied (and compared)."""
    output_blake3: str | None = None
    """blake3 of the copy, read back from disk."""
    subtitles_blake3: str | None = None
    """blake3 of the `.srt`, when there is one."""
    recorder_start: datetime | None = None
    """Start of its first clip on the recorder's clock (None: unknown)."""
    real_start: datetime | None = None
    """The same in real time (offset corrected; None: unknown)."""
    missing_bytes: int | None = None
    """For a `partial` copy: bytes of the master after the last packet that could be read."""
    missing_from: int | None = None
    """Offset in the master where the readable packets end."""
    filled_timestamps: int = 0
    """Packets the master gave no timestamp, given one from the stream's rate (flagged)."""
    exact_timestamps: bool = True
    """Whether every timestamp fits the copy's time base exactly (else it is the nearest)."""
    frames_compared: int | None = None
    """With `deep=True`: decoded frames whose pixels matched."""
    cache_free: bool = False
    """Whether the copy was read back from the device, not the page cache."""
    chapters: int = 0
    """Chapters marking the source clips (joined copies)."""
    notes: list[str] = Field(default_factory=list)
    """What a reader must know (a rate not known, streams left out, why clips were not
    joined)."""
    error: ErrorPayload | None = None
    """Why it is not `lossless_verified` (`RemuxMismatch`, `CodecNotCarried`, ...)."""


class PlayableReport(Contract):
    """The playable copies of a case folder's clips."""

    error_class: ClassVar = ConversionError

    case_dir: Path
    """The case folder whose clips were converted."""
    out_dir: Path
    """Where the copies are (the case folder's `derived/playable/`, or the given `out`)."""
    container: Container
    """The container asked for."""
    join: bool
    """Whether each camera's clips were joined."""
    rows: list[PlayableRow]
    """One row per output."""
    outcome: Outcome
    """completed, completed_with_errors or cancelled."""
    started: datetime
    """UTC start."""
    finished: datetime
    """UTC end."""
    ffmpeg: str
    """The FFmpeg inside PyAV that muxed and read back (library versions)."""
    settings: dict[str, Any] = Field(default_factory=dict)
    """The settings recorded in the custody line."""
    record_errors: list[ErrorPayload] = Field(default_factory=list)
    """Manifest or custody-log writes that failed."""

    @property
    def verified(self) -> bool:
        """True when every output read back equal to its master, packet for packet."""
        return self.outcome == "completed" and all(
            row.status in ("lossless_verified", "skipped") for row in self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per output: camera, sources, output, status, proof and timing facts."""
        import pandas as pd

        records = [_record(row, self.out_dir) for row in self.rows]
        frame: pd.DataFrame = pd.DataFrame.from_records(records, columns=PLAYABLE_COLUMNS)
        return frame

    def summary(self) -> dict[str, Any]:
        """Counts by status and the outcome."""
        found = Counter(row.status for row in self.rows)
        return {"outputs": len(self.rows), **dict(sorted(found.items())),
                "outcome": self.outcome, "verified": self.verified}

    def __repr__(self) -> str:
        found = Counter(row.status for row in self.rows)
        parts = ", ".join(f"{count} {status}" for status, count in sorted(found.items()))
        return f"<PlayableReport: {len(self.rows)} outputs ({parts or 'none'}), {self.outcome}>"


def _record(row: PlayableRow, out_dir: Path) -> dict[str, Any]:
    values = row.model_dump(include=set(PLAYABLE_COLUMNS))
    values["sources"] = ", ".join(source.as_posix() for source in row.sources)
    values["output"] = (row.output.relative_to(out_dir).as_posix()
                        if row.output is not None and row.output.is_relative_to(out_dir)
                        else str(row.output or ""))
    values["error"] = f"{row.error.type}: {row.error.describe()}" if row.error else ""
    return values


SegmentKind = Literal["footage", "damaged", "gap"]
"""What a tile shows for a stretch of the window: a clip, a damaged clip, or a slate."""


class RenderProgress(NamedTuple):
    """How far a timeline render is: frames encoded of the video's frames, and the video."""

    frames_done: int
    frames_total: int
    current: str


class TimelineSegment(Contract):
    """One stretch of one camera's tile in the timeline video, and where it came from."""

    error_class: ClassVar = ConversionError

    camera: str
    """The camera."""
    kind: SegmentKind
    """footage, damaged (a clip with a problem, marked) or gap (a slate)."""
    real_start: datetime
    """Start in real time."""
    real_end: datetime
    """End in real time."""
    source: PurePosixPath | None = None
    """The master clip shown (None for a gap)."""
    source_blake3: str | None = None
    """Its blake3 (from the case manifest)."""
    source_start_s: float | None = None
    """Where in the clip the stretch starts (seconds from the clip's start)."""
    source_end_s: float | None = None
    """Where it ends."""


class TimelineVideo(Contract):
    """A rendered timeline: a presentation aid, never evidence."""

    error_class: ClassVar = ConversionError

    path: Path | None
    """The video (None when cancelled)."""
    sidecar: Path | None
    """The JSON of its segments beside it."""
    start: datetime
    """Start of the window (real time)."""
    end: datetime
    """End of the window (real time)."""
    layout: Literal["grid"]
    """How the tiles are arranged."""
    cameras: list[str]
    """One tile per camera, in this order."""
    segments: list[TimelineSegment]
    """Every stretch of every tile with its source."""
    encoder: str
    """The encoder (FFmpeg's, inside PyAV) and its licence."""
    settings: dict[str, Any]
    """Encoder settings, size, rate."""
    frames: int = 0
    """Frames written."""
    blake3: str | None = None
    """blake3 of the video, read back."""
    outcome: Outcome = "completed"
    """Whether the whole window was rendered."""
    ffmpeg: str = ""
    """The FFmpeg inside PyAV."""

    def to_frame(self) -> pd.DataFrame:
        """One row per segment."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame.from_records(
            [segment.model_dump(mode="json") for segment in self.segments],
            columns=list(TimelineSegment.model_fields))
        return frame


__all__ = [
    "PLAYABLE_COLUMNS",
    "Container",
    "Outcome",
    "PlayableReport",
    "PlayableRow",
    "PlayableStatus",
    "RenderProgress",
    "SegmentKind",
    "TimelineSegment",
    "TimelineVideo",
]

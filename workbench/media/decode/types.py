"""What a worker reads from one file: its container, streams and first keyframe."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar, Literal, NamedTuple

from pydantic import Field

from workbench.errors import ErrorPayload, MediaError
from workbench.media.frames import FrameTiming
from workbench.model import Contract

MediaKind = Literal["video", "audio", "image", "other"]
"""What a file is: moving pictures, sound only, a still image, or not media at all."""

VIDEO_SUFFIXES = frozenset({
    ".dav", ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".ts", ".m2ts", ".mts", ".mpg", ".mpeg",
    ".264", ".h264", ".265", ".h265", ".hevc", ".asf", ".wmv", ".flv", ".webm", ".3gp", ".g64",
    ".mxf", ".vob", ".ps",
})
"""Suffixes recorders give video: a file so named that does not read as media is damaged."""
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".aac", ".m4a", ".g711", ".g726", ".flac", ".ogg"})
"""Suffixes of sound files."""
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".gif", ".webp"})
"""Suffixes of still images (snapshots)."""


class StreamInfo(Contract):
    """One stream of a media file."""

    error_class: ClassVar = MediaError

    index: int
    """Position in the container."""
    kind: str
    """video, audio, subtitle, data or attachment."""
    codec: str | None = None
    """FFmpeg's codec name, e.g. `h264`."""


class Probe(Contract):
    """What a worker reads from one file: its container and streams, and whether it decodes."""

    error_class: ClassVar = MediaError

    kind: MediaKind = "other"
    """video, audio, image or other (not media)."""
    container: str | None = None
    """FFmpeg's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `dhav`."""
    duration_s: float | None = None
    """Duration of the container in seconds."""
    bit_rate: int | None = None
    """Overall bit rate in bits per second."""
    start_time_s: float | None = None
    """The container's start time in seconds (epoch seconds for a DVR's absolute clock)."""
    streams: list[StreamInfo] = Field(default_factory=list)
    """Every stream of the container."""
    video_codec: str | None = None
    """Codec of the first video stream."""
    video_profile: str | None = None
    """Its profile, e.g. `High`."""
    width: int | None = None
    """Picture width in pixels."""
    height: int | None = None
    """Picture height in pixels."""
    avg_frame_rate: float | None = None
    """Average frame rate (frames per second)."""
    real_frame_rate: float | None = None
    """FFmpeg's real base frame rate (`r_frame_rate`)."""
    frame_count: int | None = None
    """Frames of the first video stream, when the container says."""
    audio_codec: str | None = None
    """Codec of the first audio stream."""
    audio_rate: int | None = None
    """Its sample rate (Hz)."""
    audio_channels: int | None = None
    """Its channel count."""
    creation_time: str | None = None
    """The container's `creation_time` tag, as written."""
    container_time: datetime | None = None
    """Absolute recorder time of the first frame from the container itself (Dahua `.dav`)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Container tags (long values shortened)."""
    timing: FrameTiming | None = None
    """The first video stream's frame timing from every packet (None: no video, or it
    cannot be demuxed)."""
    first_frame_decodes: bool | None = None
    """Whether the first keyframe of the first video stream decodes (None: no video)."""
    problem: ErrorPayload | None = None
    """Why the file is damaged or could not be read; None when it is fine."""


__all__ = ["MediaKind", "Probe", "StreamInfo"]


class ProbeRequest(NamedTuple):
    """One file to probe, and the box (width, height) its keyframe image is fitted into
    (None: no image)."""

    path: str
    thumbnail_box: tuple[int, int] | None = None


class ProbeResult(NamedTuple):
    """What the worker sends back: the probe, the file's size and mtime, the keyframe JPEG."""

    probe: Probe
    size: int
    mtime_ns: int
    thumbnail: bytes | None


def claimed_kind(path: str) -> MediaKind:
    """The kind a file's name claims."""
    suffix = Path(path).suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return "video"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return "other"

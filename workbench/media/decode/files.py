"""What a probe worker is asked and answers, in plain Python types (no pydantic).

A worker imports only PyAV, Pillow and these modules, so it is ready in a fraction of the
time the workbench's models take to build; the caller turns its answer into the typed
`Probe` (`types.probe_of`). A problem is a dict with the `type` tag and the context fields of
an error payload, or `OS_ERROR` with the error number for `payload_from_os_error`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, NamedTuple

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
OS_ERROR = "OSError"
"""The `type` of a problem that is an operating-system error (`errno`, `detail`, `path`,
`operation`), typed by the caller."""

Fields = dict[str, Any]
"""A probe's fields as `Probe` names them (its `problem` a problem dict)."""


class ProbeRequest(NamedTuple):
    """One file to probe, and the box (width, height) its keyframe image is fitted into
    (None: no image)."""

    path: str
    thumbnail_box: tuple[int, int] | None = None


class ProbeResult(NamedTuple):
    """What the worker sends back: the probe's fields, the file's size and mtime, the
    keyframe JPEG."""

    probe: Fields
    size: int
    mtime_ns: int
    thumbnail: bytes | None


def problem(kind: str, **context: Any) -> Fields:
    """An error payload's fields: its `type` tag and context."""
    return {"type": kind, **context}


def os_problem(exc: OSError, path: str, operation: str) -> Fields:
    """An operating-system error on `path`, to be typed by the caller."""
    return problem(OS_ERROR, errno=exc.errno, detail=exc.strerror or str(exc), path=path,
                   operation=operation)


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


__all__ = [
    "AUDIO_SUFFIXES", "IMAGE_SUFFIXES", "OS_ERROR", "VIDEO_SUFFIXES", "Fields", "MediaKind",
    "ProbeRequest", "ProbeResult", "claimed_kind", "os_problem", "problem",
]

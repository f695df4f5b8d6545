"""Which clips become which playable copies: the video clips of a footage analysis, those
common players cannot play (or all), one copy each or a camera's clips joined in time order
while their codec parameters match."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePosixPath
from typing import NamedTuple

from workbench.media import MediaFile

PLAYABLE_CONTAINERS = frozenset({"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"})
"""FFmpeg demuxers of files common players open as they are."""
PLAYABLE_CODECS = frozenset({"h264", "hevc", "mpeg4", "vp9", "av1"})
"""Video codecs common players decode."""


class Group(NamedTuple):
    """The clips of one output (one clip, or a run of a camera's clips), and why a run ended
    where it did ("" when it did not end for a reason)."""

    clips: tuple[MediaFile, ...]
    note: str = ""


def plays_already(row: MediaFile) -> bool:
    """Whether common players play `row` as it is (an undamaged MP4/MKV of a common codec)."""
    return (row.problem is None and row.container in PLAYABLE_CONTAINERS
            and row.video_codec in PLAYABLE_CODECS)


def _parameters(row: MediaFile) -> tuple[object, ...]:
    """What must match for clips to be joined by stream copy."""
    return (row.video_codec, row.video_profile, row.width, row.height, row.audio_codec,
            row.audio_rate, row.audio_channels,
            tuple((s.kind, s.codec) for s in row.streams if s.kind in ("video", "audio")))


def groups(clips: Sequence[MediaFile], join: bool,
           outside: frozenset[PurePosixPath] = frozenset()) -> list[Group]:
    """One group per clip; with `join`, per camera the clips in time order, a new group
    wherever the codec parameters change or cannot be read (and the group before says why).
    A joined group holding clips of `outside` (wholly outside the case's window) says so."""
    if not join:
        return [Group((clip,)) for clip in clips]
    cameras: dict[str, list[MediaFile]] = {}
    for clip in clips:
        cameras.setdefault(clip.camera, []).append(clip)
    runs: list[tuple[list[MediaFile], str]] = []
    for camera in sorted(cameras):
        ordered = sorted(cameras[camera], key=lambda c: (c.recorder_start or datetime.max,
                                                         c.relative.as_posix()))
        run = [ordered[0]]
        for clip in ordered[1:]:
            why = _why_apart(run[-1], clip)
            if not why:
                run.append(clip)
                continue
            runs.append((run, f"{clip.relative.as_posix()} {why}: a new file starts"))
            run = [clip]
        runs.append((run, ""))
    return [Group(tuple(run), "; ".join(filter(None, [note, _outside(run, outside)])))
            for run, note in runs]


def _why_apart(before: MediaFile, clip: MediaFile) -> str:
    """Why `clip` cannot follow `before` in one stream copy ("" when it can)."""
    unread = next((row for row in (clip, before) if row.video_codec is None), None)
    if unread is not None:  # a damaged clip the probe could not open: nothing to compare
        reason = f" ({unread.problem.type})" if unread.problem else ""
        return (f"{'has' if unread is clip else 'follows a clip with'} codec parameters that "
                f"could not be read{reason}, so it cannot be proven to match")
    if _parameters(clip) != _parameters(before):
        return f"differs in codec parameters ({_differ(before, clip)})"
    return ""


def _outside(run: list[MediaFile], outside: frozenset[PurePosixPath]) -> str:
    names = [clip.relative.name for clip in run if clip.relative in outside]
    if len(run) < 2 or not names:
        return ""
    return (f"joined in time order with {len(names)} clip(s) wholly outside the case's video "
            f"window: {', '.join(names)}")


def _differ(a: MediaFile, b: MediaFile) -> str:
    names = ("codec", "profile", "width", "height", "audio codec", "audio rate",
             "audio channels", "streams")
    return ", ".join(name for name, x, y in zip(names, _parameters(a), _parameters(b),
                                                strict=True) if x != y)


__all__ = ["PLAYABLE_CODECS", "PLAYABLE_CONTAINERS", "Group", "groups", "plays_already"]

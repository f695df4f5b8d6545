"""Which clips become which playable copies: the video clips of a footage analysis, those
common players cannot play (or all), one copy each or a camera's clips joined in time order
while their codec parameters match."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
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


def groups(clips: Sequence[MediaFile], join: bool) -> list[Group]:
    """One group per clip; with `join`, per camera the clips in time order, a new group
    wherever the codec parameters change (and the group before says why)."""
    if not join:
        return [Group((clip,)) for clip in clips]
    cameras: dict[str, list[MediaFile]] = {}
    for clip in clips:
        cameras.setdefault(clip.camera, []).append(clip)
    found: list[Group] = []
    for camera in sorted(cameras):
        ordered = sorted(cameras[camera], key=lambda c: (c.recorder_start or datetime.max,
                                                         c.relative.as_posix()))
        run = [ordered[0]]
        for clip in ordered[1:]:
            if _parameters(clip) == _parameters(run[-1]):
                run.append(clip)
                continue
            found.append(Group(tuple(run), f"{clip.relative.as_posix()} differs in codec "
                               f"parameters ({_differ(run[-1], clip)}): a new file starts"))
            run = [clip]
        found.append(Group(tuple(run)))
    return found


def _differ(a: MediaFile, b: MediaFile) -> str:
    names = ("codec", "profile", "width", "height", "audio codec", "audio rate",
             "audio channels", "streams")
    return ", ".join(name for name, x, y in zip(names, _parameters(a), _parameters(b),
                                                strict=True) if x != y)


__all__ = ["PLAYABLE_CODECS", "PLAYABLE_CONTAINERS", "Group", "groups", "plays_already"]

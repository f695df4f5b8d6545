"""Recording times of a clip and its camera, and the recorder clock against real time.

Times come from, in order of trust: the file name (a DVR pattern), the container's own
absolute clock (Dahua `.dav`), the `creation_time` tag. A source that gives only a start
gets its end from the probed duration. Recorder times stay on the recorder's clock; real
time is recorder time minus the DVR offset (how far the recorder is ahead).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import Literal, NamedTuple

from workbench.media.decode import Probe
from workbench.media.timing.patterns import DvrPattern, match_name

TimeSource = Literal["filename", "container", "creation_time"]
"""Where a clip's recording times came from, most trusted first."""
NO_CAMERA = "(no camera)"
"""Camera of a clip in the probed folder itself whose name gives no channel."""


class Recording(NamedTuple):
    """When and by which camera a clip was recorded, and what said so."""

    camera: str
    start: datetime | None
    end: datetime | None
    source: TimeSource | None
    pattern: str | None


def recording(relative: PurePosixPath, probe: Probe, patterns: list[DvrPattern]) -> Recording:
    """The camera and recorder times of one file."""
    folder = relative.parent.name
    named = match_name(relative, patterns)
    duration = timedelta(seconds=probe.duration_s) if probe.duration_s else None
    if named is not None:
        camera = camera_name(named.camera, named.channel) or folder or NO_CAMERA
        end = named.end or (named.start + duration if duration else None)
        return Recording(camera, named.start, end, "filename", named.pattern)
    camera = folder or NO_CAMERA
    if probe.container_time is not None:
        return Recording(camera, probe.container_time, _plus(probe.container_time, duration),
                         "container", None)
    created = parse_creation_time(probe.creation_time)
    if created is not None:
        return Recording(camera, created, _plus(created, duration), "creation_time", None)
    return Recording(camera, None, None, None, None)


def camera_name(camera: str | None, channel: str | None) -> str | None:
    """`ch01` from a channel `1` or `001`, after the camera's own name if the pattern has one."""
    parts = [camera] if camera else []
    if channel:
        parts.append(f"ch{int(channel):02d}" if channel.isdigit() else f"ch{channel}")
    return " ".join(parts) or None


def parse_creation_time(value: str | None) -> datetime | None:
    """A `creation_time` tag (ISO 8601, usually UTC) as a naive datetime; None if unreadable
    or the zero date some muxers write."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return None if moment.year < 1980 else moment.replace(microsecond=0)


def to_real(moment: datetime | None, offset: timedelta | None) -> datetime | None:
    """Recorder time `moment` in real time (the recorder is `offset` ahead)."""
    return None if moment is None else moment - (offset or timedelta(0))


def offset_from(recorder_showed: datetime, real_time: datetime) -> timedelta:
    """The DVR offset from one observed pair: the recorder showed `recorder_showed` when the
    real time was `real_time` (positive: the recorder is ahead), to the whole second."""
    return timedelta(seconds=round((recorder_showed - real_time).total_seconds()))


def _plus(start: datetime, duration: timedelta | None) -> datetime | None:
    return start + duration if duration is not None else None


__all__ = [
    "NO_CAMERA",
    "Recording",
    "TimeSource",
    "camera_name",
    "offset_from",
    "parse_creation_time",
    "recording",
    "to_real",
]

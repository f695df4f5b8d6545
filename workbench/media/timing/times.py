"""Recording times of a clip and its camera, and the recorder clock against real time.

Times come from, in order of trust: the file name (a DVR pattern), the container's own
absolute clock (Dahua `.dav`), the `creation_time` tag. A source that gives only a start
gets its end from the probed duration. Recorder times stay on the recorder's clock; real
time is recorder time minus the DVR offset (how far the recorder is ahead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from workbench.cases import CaseData, RealTime, Recorder
from workbench.media.decode import Probe
from workbench.media.frames import DurationMismatch, FrameTiming
from workbench.media.timing.fallback import FALLBACK, read_fallback
from workbench.media.timing.patterns import DvrPattern, match_name

TimeSource = Literal["filename", "container", "creation_time"]
"""Where a clip's recording times came from, most trusted first."""
NO_CAMERA = "(no camera)"
"""Camera of a clip in the probed folder itself whose name gives no channel."""
NOT_CAMERA_FOLDER = re.compile(
    r"(?i)^(?:\d{4}-?\d{2}-?\d{2}(?:[_ T-]?\d{2})?|\d{2}|\d{8}\d{2}|\d{1,3}h|dav|jpg|mp4|"
    r"pic|record|video|datadir\d*|hiv\d+|index\d*|data|export|exports?_\d+|"
    r"\d{4}|\d{4}-\d{2}|\d{2}-\d{2})$")
"""Folder names that are dates, hours or a recorder's storage blocks, never cameras
(`2026-11-20`, `20261120_14`, `14`, `dav`, `datadir0`, `hiv00012`...)."""
DURATION_TOLERANCE = 0.1
"""A file name's span and its frames' span further apart than this share (and than
`DURATION_SLACK_S`) are a `DurationMismatch`."""
DURATION_SLACK_S = 10.0
"""Seconds of difference always allowed (recorders open and close files a little late)."""


class Recording(NamedTuple):
    """When and by which camera a clip was recorded, and what said so."""

    camera: str
    start: datetime | None
    end: datetime | None
    source: TimeSource | None
    pattern: str | None
    mismatch: DurationMismatch | None = None
    confidence: float | None = None
    zone: str | None = None


def recording(relative: PurePosixPath, probe: Probe, patterns: list[DvrPattern]) -> Recording:
    """The camera and recorder times of one file."""
    folder = camera_folder(relative)
    named = match_name(relative, patterns)
    duration = timedelta(seconds=probe.duration_s) if probe.duration_s else None
    if probe.timing is not None and probe.timing.duration_s is not None:
        duration = timedelta(seconds=probe.timing.duration_s)
    if named is not None:
        camera = camera_name(named.camera, named.channel) or folder or NO_CAMERA
        end = named.end or (named.start + duration if duration else None)
        return Recording(camera, named.start, end, "filename", named.pattern,
                         duration_problem(named.start, named.end, probe.timing),
                         named.confidence, named.zone)
    camera = folder or NO_CAMERA
    guessed = read_fallback(relative)
    if guessed is not None and guessed.start is not None:
        return Recording(camera, guessed.start, _plus(guessed.start, duration), "filename",
                         FALLBACK, confidence=guessed.confidence)
    if probe.container_time is not None:
        return Recording(camera, probe.container_time, _plus(probe.container_time, duration),
                         "container", None)
    created = parse_creation_time(probe.creation_time)
    if created is not None:
        return Recording(camera, created, _plus(created, duration), "creation_time", None)
    return Recording(camera, None, None, None, None)


def camera_folder(relative: PurePosixPath) -> str:
    """The nearest folder above `relative` that is not a date, an hour or a storage block
    ("" when there is none)."""
    for part in reversed(relative.parent.parts):
        if not NOT_CAMERA_FOLDER.match(part):
            return part
    return ""


def duration_problem(named_start: datetime | None, named_end: datetime | None,
                     timing: FrameTiming | None) -> DurationMismatch | None:
    """A file name's span against its frames' span, when both are known and differ."""
    if named_start is None or named_end is None or timing is None:
        return None
    content = timing.duration_s
    if content is None:
        return None
    named = (named_end - named_start).total_seconds()
    if abs(named - content) <= max(DURATION_SLACK_S, DURATION_TOLERANCE * named):
        return None
    return DurationMismatch(named_s=named, content_s=round(content, 3))


def recorders_of(relatives: Sequence[PurePosixPath], cameras: Sequence[str],
                 case: CaseData | None) -> list[str]:
    """The recorder of each file: the case's recorder that claims its folder (or is named
    like its top folder, or is the case's only one); else its top folder when two top
    folders give the same camera (two recorders numbering `ch01` each), else "" (one
    recorder: the export)."""
    recorders = case.clock_recorders() if case else []
    tops = [relative.parts[0] if len(relative.parts) > 1 else "" for relative in relatives]
    seen: dict[str, set[str]] = {}
    for top, camera in zip(tops, cameras, strict=True):
        seen.setdefault(camera, set()).add(top)
    split = any(len(folders) > 1 for camera, folders in seen.items() if camera)
    if len(recorders) <= 1 and not split:
        return [""] * len(relatives)  # one recorder: lanes need no recorder in their name
    found = []
    for relative, top in zip(relatives, tops, strict=True):
        claimed = _claimed(relative, top, recorders)
        found.append(claimed if claimed is not None else top if split else "")
    return found


def _claimed(relative: PurePosixPath, top: str, recorders: list[Recorder]) -> str | None:
    text = relative.as_posix()
    for recorder in recorders:
        if any(text.startswith(folder.rstrip("/") + "/") for folder in recorder.folders):
            return recorder.name
    named = [recorder.name for recorder in recorders if recorder.name == top]
    if named:
        return named[0]
    return recorders[0].name if len(recorders) == 1 else None


def clock_of(case: CaseData | None, recorder: str) -> Recorder | None:
    """The recorder whose clock a row of `recorder` runs on (the only one when one)."""
    recorders = case.clock_recorders() if case else []
    named = next((item for item in recorders if item.name == recorder), None)
    return named or (recorders[0] if len(recorders) == 1 else None)


def real_time(case: CaseData | None, recorder: str, moment: datetime | None,
              zone: str | None = None) -> RealTime:
    """`moment` on `recorder`'s clock in real time: through its clock (offset, drift, zone,
    daylight saving), shown in the case's zone when both have one; as shown when the case
    knows no clock for it. `zone`: the zone a name's scheme writes its times in (UTC for
    some), which replaces the recorder's own."""
    clock = clock_of(case, recorder)
    if zone is not None:
        clock = (clock or Recorder(name=recorder or "recorder")).model_copy(
            update={"time_zone": zone, "observes_dst": True})
    if clock is None or moment is None:
        return RealTime(moment)
    real = clock.real(moment)
    if real.moment is not None and real.moment.tzinfo is not None and case and case.time_zone:
        return RealTime(real.moment.astimezone(ZoneInfo(case.time_zone)))
    return real


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
    "NOT_CAMERA_FOLDER",
    "NO_CAMERA",
    "Recording",
    "TimeSource",
    "camera_folder",
    "camera_name",
    "clock_of",
    "duration_problem",
    "offset_from",
    "parse_creation_time",
    "real_time",
    "recorders_of",
    "recording",
    "to_real",
]

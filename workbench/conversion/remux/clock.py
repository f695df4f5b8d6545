"""The recorder clock and the real clock, second by second, as subtitle cues: a player shows the
DVR's time (and the corrected time) without the picture being touched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import NamedTuple


class Cue(NamedTuple):
    """One subtitle: from `start` to `end` seconds on the copy's timeline, and its text."""

    start: float
    end: float
    text: str


def cue_text(recorder: datetime, offset: timedelta | None) -> str:
    """The two clocks at one instant: the recorder's, and the real time (offset corrected)."""
    line = f"DVR {recorder:%Y-%m-%d %H:%M:%S}"
    if offset is None:
        return line + "\nReal time: no clock offset recorded"
    return line + f"\nReal {recorder - offset:%Y-%m-%d %H:%M:%S}"


def cues(origin: float, recorder_start: datetime, offset: timedelta | None,
         until: float) -> Iterator[Cue]:
    """One cue a second from `origin` (the clip's first picture, seconds on the copy's timeline,
    showing `recorder_start`) while it starts before `until`."""
    second = 0
    while origin + second < until:
        start = origin + second
        yield Cue(start, start + 1, cue_text(recorder_start + timedelta(seconds=second), offset))
        second += 1


def srt_time(seconds: float) -> str:
    """`HH:MM:SS,mmm`."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"


def srt_block(number: int, cue: Cue, zero: float) -> str:
    """One SRT entry, its times counted from `zero` (where a player's clock starts)."""
    return (f"{number}\n{srt_time(cue.start - zero)} --> {srt_time(cue.end - zero)}\n"
            f"{cue.text}\n\n")


__all__ = ["Cue", "cue_text", "cues", "srt_block", "srt_time"]

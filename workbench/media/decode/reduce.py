"""Packet timestamps reduced, as they stream past, to intervals, rates and timing problems.

Memory does not grow with the frame count: no frame is kept. What is kept is a reorder window
of `REORDER_DEPTH` timestamps (B-frames arrive out of presentation order), a count of each
distinct interval between frames (a steady recorder has one or two; at most
`MAX_DISTINCT_INTERVALS`), and the candidate breaks: intervals longer than 1.5 times the
most common one so far (at most `MAX_BREAKS`). The real break tolerance is known only at the
end, from the median interval, and the candidates are filtered against it then.

It runs in the probe workers and answers in plain types: `finish` gives `FrameTiming`'s fields
(rates, intervals and problems as dicts, problems with their `type` tag), and the caller
builds the model (`types.probe_of`, `FrameTiming.model_validate`). No pydantic to load in a
worker.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from workbench.media.decode.files import Fields, problem

if TYPE_CHECKING:
    from workbench.media.frames import Origin, RateSource

REORDER_DEPTH = 16
"""Timestamps held back to put frames in presentation order (H.264 reorders at most 16)."""
MAX_DISTINCT_INTERVALS = 4096
"""Distinct frame intervals counted at most (later new ones count as `other`)."""
MAX_BREAKS = 10_000
"""Breaks kept at most (a clip with more keeps its later frames in its last interval)."""
CANDIDATE_FACTOR = Fraction(3, 2)
"""An interval this many times the most common one so far may be a break."""
BREAK_FACTOR = Fraction(5, 2)
"""Frames further apart than this many median intervals start a new interval..."""
MIN_BREAK_S = Fraction(1, 2)
"""...and never closer than this many seconds (a dropped frame or two is not a gap)."""
JUMP_S = 3600
"""A forward step of more than this many seconds inside one clip is a `TimestampJump`."""
RATE_TOLERANCE = 0.05
"""Nominal and measured rates further apart than this share are a `RateMismatch`."""
STEADY_SHARE = 0.9
"""A stream is of variable rate when fewer intervals than this share lie within 10 % of the
median."""


class _Break(NamedTuple):
    before: int
    """Timestamp of the last frame before it (ticks)."""
    after: int
    """Timestamp of the first frame after it."""
    frames_before: int
    """Timed frames before it."""


class TimestampReducer:
    """Feed every packet's (pts, dts) in stream order with `add`, then call `finish`."""

    def __init__(self, time_base: Fraction) -> None:
        self.time_base = time_base
        self.packets = 0
        self._digest = hashlib.blake2b(digest_size=16)
        self._window: list[int] = []
        self._timed = 0
        self._first: int | None = None
        self._previous: int | None = None
        self._intervals: Counter[int] = Counter()
        self._other_intervals = 0
        self._threshold = 0
        self._breaks: list[_Break] = []
        self._capped = False
        self._backwards = self._repeated = 0
        self._first_bad: int | None = None

    def add(self, pts: int | None, dts: int | None) -> None:
        """One packet (a frame) of the stream, in the order the file holds them."""
        self.packets += 1
        self._digest.update(f"{_text(pts)},{_text(dts)}\n".encode())
        stamp = pts if pts is not None else dts
        if stamp is None:
            return
        if len(self._window) < REORDER_DEPTH:
            heapq.heappush(self._window, stamp)
        else:
            self._frame(heapq.heappushpop(self._window, stamp))

    def _frame(self, stamp: int) -> None:
        """One frame in presentation order."""
        previous, index = self._previous, self._timed
        self._timed += 1
        self._previous = stamp
        if previous is None:
            self._first = stamp
            return
        step = stamp - previous
        if step <= 0:
            if step == 0:
                self._repeated += 1
            else:
                self._backwards += 1
                self._add_break(_Break(previous, stamp, index))
            if self._first_bad is None:
                self._first_bad = stamp
            return
        if step in self._intervals or len(self._intervals) < MAX_DISTINCT_INTERVALS:
            self._intervals[step] += 1
        else:
            self._other_intervals += 1
        if index & (index - 1) == 0 or index % 1024 == 0:  # powers of two, then every 1,024
            self._threshold = int(self._intervals.most_common(1)[0][0] * CANDIDATE_FACTOR)
        if step > self._threshold:
            self._add_break(_Break(previous, stamp, index))

    def _add_break(self, candidate: _Break) -> None:
        if len(self._breaks) >= MAX_BREAKS:
            tolerance = self._tolerance(self._median())
            self._breaks = [b for b in self._breaks if _is_break(b, tolerance)]
        if len(self._breaks) >= MAX_BREAKS:
            self._capped = True
            return
        self._breaks.append(candidate)

    def _median(self) -> int:
        """The median interval between frames (ticks); 0 with fewer than two timed frames."""
        half, seen = (sum(self._intervals.values()) + 1) // 2, 0
        for step in sorted(self._intervals):
            seen += self._intervals[step]
            if seen >= half:
                return step
        return 0

    def _tolerance(self, median: int) -> int:
        floor = MIN_BREAK_S / self.time_base
        return int(max(BREAK_FACTOR * median, floor))

    def finish(self, *, stream: int, origin: Origin = "clip", nominal: Fraction | None = None,
               rate_source: RateSource | None = None, raw: bool = False,
               assumed: Fraction | None = None) -> Fields:
        """The stream's timing, as `FrameTiming`'s fields. `raw`: an elementary stream whose
        timestamps FFmpeg made up (its extent is then frames / `nominal`, unknown without
        one); `assumed`: the rate FFmpeg times a stream at when no header gives one."""
        while self._window:
            self._frame(heapq.heappop(self._window))
        rate = rate_fields(nominal)
        problems: list[Fields] = []
        if rate is None and (raw or self._timed < 2):
            problems.append(problem("DefaultFrameRate",
                                    assumed_fps=float(assumed) if assumed else None))
        base = {"stream": stream, "origin": origin, "frames": self.packets,
                "nominal_rate": rate, "rate_source": rate_source if rate else None,
                "timestamps_digest": self._digest.hexdigest(), "problems": problems}
        if raw:
            extent = raw_extent(self.packets, fps_of(rate))
            return base | {"raw": True, "first_s": 0.0 if extent else None, "intervals": extent}
        median = self._median()
        if self._first is None or median == 0:
            return base | {"first_s": self._seconds(self._first)}
        tolerance = self._tolerance(median)
        measured = 1 / float(median * self.time_base)
        problems.extend(self._problems(fps_of(rate), measured))
        steady = sum(n for step, n in self._intervals.items()
                     if abs(step - median) <= median / 10)
        total = sum(self._intervals.values()) + self._other_intervals
        return base | {
            "first_s": self._seconds(self._first), "intervals": self._runs(tolerance, median),
            "intervals_capped": self._capped, "measured_fps": round(measured, 6),
            "variable_rate": steady < STEADY_SHARE * total,
            "tolerance_s": float(tolerance * self.time_base),
        }

    def _runs(self, tolerance: int, median: int) -> list[Fields]:
        assert self._first is not None and self._previous is not None
        runs, start, frames_before = [], self._first, 0
        for found in self._breaks:
            if not _is_break(found, tolerance):
                continue
            frames = found.frames_before - frames_before
            runs.append(self._interval(start, found.before + median, frames))
            start, frames_before = found.after, found.frames_before
        runs.append(self._interval(start, self._previous + median, self._timed - frames_before))
        return sorted(runs, key=lambda run: (run["start_s"], run["end_s"]))

    def _interval(self, start: int, end: int, frames: int) -> Fields:
        return {"start_s": float(start * self.time_base), "end_s": float(end * self.time_base),
                "frames": frames}

    def _problems(self, nominal_fps: float | None, measured: float) -> list[Fields]:
        problems: list[Fields] = []
        jump = JUMP_S / self.time_base
        jumps = [b for b in self._breaks if b.after - b.before > jump]
        if jumps:
            problems.append(problem(
                "TimestampJump", at_s=float(jumps[0].before * self.time_base),
                seconds=float((jumps[0].after - jumps[0].before) * self.time_base),
                count=len(jumps)))
        if self._backwards or self._repeated:
            problems.append(problem(
                "NonMonotonic", backwards=self._backwards, repeated=self._repeated,
                first_at_s=float((self._first_bad or 0) * self.time_base)))
        mismatch = rate_mismatch(nominal_fps, measured)
        return problems if mismatch is None else [*problems, mismatch]

    def _seconds(self, stamp: int | None) -> float | None:
        return None if stamp is None else float(stamp * self.time_base)


def rate_fields(value: Fraction | None) -> Fields | None:
    """`Rate`'s fields of a positive fraction (exact); None for none, zero or a negative one."""
    if value is None or value <= 0:
        return None
    return {"num": value.numerator, "den": value.denominator}


def fps_of(rate: Fields | None) -> float | None:
    """Frames per second of `Rate`'s fields, as `Rate.fps` gives them (None: no rate)."""
    return None if rate is None else rate["num"] / rate["den"]


def raw_extent(frames: int, fps: float | None) -> list[Fields]:
    """A raw stream's one interval: its frames at `fps` from 0 (none: no rate, no frame)."""
    if fps is None or not frames:
        return []
    return [{"start_s": 0.0, "end_s": frames / fps, "frames": frames}]


def raw_fields(timing: Fields | None) -> Fields:
    """A raw stream's rates and duration from its frame timing fields only (its own headers'
    rate, or the analyst's, and its packet count): FFmpeg's default rate is no fact."""
    fps = fps_of(timing["nominal_rate"]) if timing else None
    extent = raw_extent(timing["frames"], fps) if timing else []
    return {"avg_frame_rate": fps, "real_frame_rate": fps,
            "duration_s": extent[0]["end_s"] if extent else None}


def rate_mismatch(nominal_fps: float | None, measured: float | None) -> Fields | None:
    """A `RateMismatch` problem's fields when the nominal rate is further than
    `RATE_TOLERANCE` from the measured one."""
    if nominal_fps is None or measured is None:
        return None
    if abs(nominal_fps - measured) <= RATE_TOLERANCE * nominal_fps:
        return None
    return problem("RateMismatch", nominal_fps=round(nominal_fps, 6),
                   measured_fps=round(measured, 6))


def _is_break(found: _Break, tolerance: int) -> bool:
    step = found.after - found.before
    return step < 0 or step > tolerance


def _text(stamp: int | None) -> str:
    return "N/A" if stamp is None else str(stamp)


def timestamp_digest(lines: bytes) -> str:
    """The digest `FrameTiming.timestamps_digest` holds, of `pts,dts` lines as
    `ffprobe -select_streams v:0 -show_entries packet=pts,dts -of csv=p=0` prints them."""
    return hashlib.blake2b(lines, digest_size=16).hexdigest()


__all__ = ["MAX_BREAKS", "REORDER_DEPTH", "TimestampReducer", "fps_of", "rate_fields",
           "rate_mismatch", "raw_extent", "raw_fields", "timestamp_digest"]

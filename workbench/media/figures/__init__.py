"""The coverage timeline as a matplotlib figure: one lane per camera, the requested window
shaded, gaps marked, damaged clips in red, real time on the top axis.

Figures are made with the object API and the Agg canvas (never pyplot's global state, so a
worker thread can draw while the notebook runs), and render inline through `_repr_png_`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import matplotlib.dates as mdates
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

CLIP_BLUE = "#2f6fb0"
PROBLEM_RED = "#c62828"
GAP_RED = "#e57373"
WINDOW_FILL = "#fff3c4"
UNKNOWN_GREY = "#757575"
LANE_HEIGHT = 0.6
DPI = 100
ISO_TICKS = ["%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M", "%H:%M:%S.%f"]
"""Timeline tick labels at each scale (years to microseconds), ISO like every date shown."""


@dataclass(frozen=True)
class Bar:
    """One clip on a lane (recorder clock)."""

    start: datetime
    end: datetime
    damaged: bool
    unknown: bool = False
    """Only its start is known: drawn as a marker, never as recorded time."""


@dataclass(frozen=True)
class Lane:
    """One camera: its clips, its gaps, and how many clips lie outside the drawn range."""

    name: str
    bars: Sequence[Bar]
    gaps: Sequence[tuple[datetime, datetime]]
    label: str


class PngFigure(Figure):
    """A `Figure` that shows itself inline in a notebook and gives its PNG bytes."""

    def png(self, dpi: int = DPI) -> bytes:
        """The figure as PNG bytes (Agg)."""
        FigureCanvasAgg(self)  # attaches itself: no pyplot, no global backend
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()


def timeline(lanes: Sequence[Lane], window: tuple[datetime, datetime] | None,
             offset: timedelta | None, title: str) -> PngFigure:
    """The coverage timeline of `lanes` around `window` (recorder clock)."""
    figure = PngFigure(figsize=(10, 1.3 + 0.55 * max(1, len(lanes))), layout="constrained")
    axes = figure.add_subplot()
    low, high = _extent(lanes, window)
    if window is not None:
        axes.axvspan(_num(window[0]), _num(window[1]),
                     color=WINDOW_FILL, zorder=0)
    for row, lane in enumerate(reversed(lanes)):
        for bar in lane.bars:
            if bar.unknown:
                axes.plot([_num(bar.start)], [row], marker=">", color=UNKNOWN_GREY,
                          markersize=9, zorder=4)
                continue
            start, end = _num(bar.start), _num(max(bar.end, bar.start))
            colour = PROBLEM_RED if bar.damaged else CLIP_BLUE
            axes.broken_barh([(start, max(end - start, 1e-5))],
                             (row - LANE_HEIGHT / 2, LANE_HEIGHT), facecolors=colour,
                             edgecolor="white", linewidth=0.8, zorder=2)
        for gap_start, gap_end in lane.gaps:
            start, end = _num(gap_start), _num(gap_end)
            axes.broken_barh([(start, end - start)], (row - LANE_HEIGHT / 2, LANE_HEIGHT),
                             facecolors="none", edgecolor=GAP_RED, hatch="////", linewidth=0,
                             zorder=3)
    axes.set_yticks(range(len(lanes)), [lane.label for lane in reversed(lanes)])
    axes.set_ylim(-0.7, len(lanes) - 0.3)
    axes.set_xlim(_num(low), _num(high))
    _date_ticks(axes.xaxis)
    axes.set_xlabel("recorder clock")
    axes.grid(axis="x", color="#d0d7de", linewidth=0.6, zorder=1)
    axes.set_axisbelow(True)
    if offset:
        shift = offset.total_seconds() / 86400  # matplotlib dates count days

        def to_real(days: Any) -> Any:
            return days - shift

        def to_recorder(days: Any) -> Any:
            return days + shift

        top = axes.secondary_xaxis("top", functions=(to_real, to_recorder))
        _date_ticks(top.xaxis)
        top.set_xlabel("real time")
    axes.set_title(title, loc="left", fontsize=10)
    figure.legend(handles=_legend(window is not None), loc="outside lower center", ncols=5,
                  frameon=False, fontsize=8)
    return figure


def _num(moment: datetime) -> float:
    """A datetime in matplotlib's date units (days)."""
    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]


def _date_ticks(axis: Axis) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
        locator, formats=ISO_TICKS, zero_formats=ISO_TICKS, offset_formats=ISO_TICKS))


def _legend(with_window: bool) -> list[Patch]:
    handles = [Patch(color=CLIP_BLUE, label="recorded"),
               Patch(color=PROBLEM_RED, label="damaged clip"),
               Patch(facecolor="none", edgecolor=GAP_RED, hatch="////", label="gap"),
               Patch(color=UNKNOWN_GREY, label="start only (extent unknown)")]
    if with_window:
        handles.append(Patch(color=WINDOW_FILL, label="requested window"))
    return handles


def _extent(lanes: Sequence[Lane], window: tuple[datetime, datetime] | None
            ) -> tuple[datetime, datetime]:
    if window is not None:
        low, high = window
    else:
        moments = [moment for lane in lanes for bar in lane.bars for moment in (bar.start, bar.end)]
        if not moments:
            now = datetime(2000, 1, 1)
            return now, now + timedelta(hours=1)
        low, high = min(moments), max(moments)
    pad = max((high - low) / 20, timedelta(minutes=1))
    return low - pad, high + pad


__all__ = ["Bar", "Lane", "PngFigure", "timeline"]

"""Derived video: playable copies by lossless remux, proven packet for packet, and the timeline
video. Never touches a master; writes only under the case folder's `derived/` (or a given
`out`), with its own manifest and custody lines. PyAV (FFmpeg inside its wheels) loads in the
worker processes and when rendering, not on import."""

from workbench.conversion.commands import make_playable, render_timeline
from workbench.conversion.preview import preview_frame
from workbench.conversion.timeline import ENCODER_NOTE
from workbench.conversion.types import (
    PLAYABLE_COLUMNS,
    Container,
    PlayableReport,
    PlayableRow,
    PlayableStatus,
    RenderProgress,
    TimelineSegment,
    TimelineVideo,
)

__all__ = [
    "ENCODER_NOTE",
    "PLAYABLE_COLUMNS",
    "Container",
    "PlayableReport",
    "PlayableRow",
    "PlayableStatus",
    "RenderProgress",
    "TimelineSegment",
    "TimelineVideo",
    "make_playable",
    "preview_frame",
    "render_timeline",
]

"""Footage: probe (PyAV, in worker processes), DVR file-name times, coverage timeline,
keyframes and contact sheet. Reads evidence, never changes it."""

from workbench.media.analysis import (
    DEFAULT_TIMEOUT,
    MediaProgress,
    is_case_folder,
    media_dir,
)
from workbench.media.commands import (
    coverage,
    dvr_offset_from,
    frame_timing,
    match_name,
    probe_media,
    rates_from_text,
    stored_media,
)
from workbench.media.decode import MediaKind, StreamInfo
from workbench.media.frames import FrameTiming, Interval, Rate, TimingProblem
from workbench.media.intervals import DEFAULT_TOLERANCE
from workbench.media.keyframes import ContactSheet
from workbench.media.timing import (
    DvrPattern,
    NameReading,
    PatternLibrary,
    TimeSource,
    bundled_patterns,
    load_patterns,
    to_real,
    user_patterns_path,
)
from workbench.media.types import (
    CameraCoverage,
    ClipSpan,
    Coverage,
    Gap,
    MediaFile,
    MediaReport,
    Span,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOLERANCE",
    "CameraCoverage",
    "ClipSpan",
    "ContactSheet",
    "Coverage",
    "DvrPattern",
    "FrameTiming",
    "Gap",
    "Interval",
    "MediaFile",
    "MediaKind",
    "MediaProgress",
    "MediaReport",
    "NameReading",
    "PatternLibrary",
    "Rate",
    "Span",
    "StreamInfo",
    "TimeSource",
    "TimingProblem",
    "bundled_patterns",
    "coverage",
    "dvr_offset_from",
    "frame_timing",
    "is_case_folder",
    "load_patterns",
    "match_name",
    "media_dir",
    "probe_media",
    "rates_from_text",
    "stored_media",
    "to_real",
    "user_patterns_path",
]

"""Recording times: the DVR file-name patterns (data), the container and tag times, the
recorder clock against real time."""

from workbench.media.timing.patterns import (
    DvrPattern,
    NameTimes,
    PatternLibrary,
    bundled_patterns,
    load_patterns,
    match_name,
    user_patterns_path,
)
from workbench.media.timing.times import (
    NO_CAMERA,
    Recording,
    TimeSource,
    camera_name,
    offset_from,
    parse_creation_time,
    recording,
    to_real,
)

__all__ = [
    "NO_CAMERA",
    "DvrPattern",
    "NameTimes",
    "PatternLibrary",
    "Recording",
    "TimeSource",
    "bundled_patterns",
    "camera_name",
    "load_patterns",
    "match_name",
    "offset_from",
    "parse_creation_time",
    "recording",
    "to_real",
    "user_patterns_path",
]

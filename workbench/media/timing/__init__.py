"""Recording times: the DVR file-name patterns (data), the container and tag times, the
recorder clock against real time."""

from workbench.media.timing.names import NameReading, read_name
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
    NOT_CAMERA_FOLDER,
    Recording,
    TimeSource,
    camera_folder,
    camera_name,
    clock_of,
    duration_problem,
    offset_from,
    parse_creation_time,
    real_time,
    recorders_of,
    recording,
    to_real,
)

__all__ = [
    "NOT_CAMERA_FOLDER",
    "NO_CAMERA",
    "DvrPattern",
    "NameReading",
    "NameTimes",
    "PatternLibrary",
    "Recording",
    "TimeSource",
    "bundled_patterns",
    "camera_folder",
    "camera_name",
    "clock_of",
    "duration_problem",
    "load_patterns",
    "match_name",
    "offset_from",
    "parse_creation_time",
    "read_name",
    "real_time",
    "recorders_of",
    "recording",
    "to_real",
    "user_patterns_path",
]

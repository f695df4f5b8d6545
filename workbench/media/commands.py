"""Footage commands: probe a folder or files, the coverage of a case window, the DVR offset.

Thin: they check their arguments, call the services and raise `MediaError` with a typed
payload for bad input. Damaged files are never errors: they are rows with a `problem`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

from workbench.cases import CaseData
from workbench.cases.dates import DateOrder, read_moment
from workbench.errors import (
    MediaError,
    NotMedia,
    PathNotFound,
    ValidationError,
    payload_from_os_error,
)
from workbench.events import CancelToken
from workbench.media.analysis import (
    DEFAULT_TIMEOUT,
    ProgressCallback,
    analyse,
    check_pool_settings,
    list_files,
    list_folder,
    probe_pool,
    stored_report,
    worker_start_error,
)
from workbench.media.decode import WorkerStartError
from workbench.media.frames import FrameTiming, Rate
from workbench.media.intervals import DEFAULT_TOLERANCE, compute_coverage
from workbench.media.timing import NameReading, load_patterns, offset_from, read_name
from workbench.media.types import Coverage, MediaReport

PathLike = str | os.PathLike[str]
FrameRate = int | float | str | Fraction
"""A frame rate the analyst gives: frames a second as a number or exact text (`30000/1001`)."""
MAX_ANALYST_FPS = 1000
"""The highest frame rate an analyst may set (no CCTV recorder comes near it)."""


def probe_media(
    target: PathLike | Sequence[PathLike], *, case: CaseData | None = None,
    thumbnails: bool = True, workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
    on_progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
    rates: Mapping[str, FrameRate] | None = None,
) -> MediaReport:
    """Probe every file of a folder (or the given files) with PyAV in worker processes.

    One row per file: container, streams, codecs, resolution, frame rates, duration, tags,
    whether its first keyframe decodes, its camera and recording times, and a typed
    `problem` for damaged files. `case` gives the DVR offset for real times (a case folder's
    own record is used when it has one). A case folder gets its keyframe images and the
    analysis under `_evidence/media/`; nothing is written into any other folder probed.

    `rates` sets frame rates the analyst knows, by file (its relative path or name) or by
    camera (its name, or its lane `recorder · camera`), a file's own before its camera's:
    `{"ch01.264": 12, "ch02": "30000/1001"}`. The rows they apply to keep the headers' rate
    aside and say `rate_source="analyst"` (shown as "set by the analyst"); a raw stream's
    duration becomes frames / rate, a stream with its own timestamps keeps its intervals and
    has its measured rate checked against the analyst's.

    Raises `MediaError`: `PathNotFound` for a missing folder or file, `ValidationError` for
    bad `workers` / `timeout`, a rate that is not a positive number of frames a second up to
    `MAX_ANALYST_FPS` or a `rates` key that names no file and no camera, `CorruptFile` for an
    unreadable user patterns file.
    """
    check_pool_settings(workers, timeout, MediaError)
    fps = analyst_rates(rates)
    with probe_pool(workers, timeout) as pool:
        try:
            pool.prestart()  # the workers get ready while the patterns load and files are listed
        except WorkerStartError as exc:
            raise MediaError(worker_start_error(exc)) from None
        patterns = load_patterns()
        if isinstance(target, str | os.PathLike):
            root = Path(target).expanduser()
            if root.is_dir():
                listed, probed_root = list_folder(root), root
            elif root.exists():
                listed, probed_root = list_files([root]), None
            else:
                raise MediaError(PathNotFound(path=str(root)))
        else:
            paths = [Path(item).expanduser() for item in target]
            for path in paths:
                if not path.is_file():
                    raise MediaError(PathNotFound(path=str(path)))
            listed, probed_root = list_files(paths), None
        return analyse(listed, probed_root, case=case, patterns=patterns,
                       thumbnails=thumbnails, pool=pool, on_progress=on_progress,
                       cancel=cancel, rates=fps)


def rates_from_text(lines: Iterable[str], field: str = "rates") -> dict[str, str]:
    """Rates written as `FILE_OR_CAMERA=FPS`, one an item (`--rate` options, the Footage
    tab's lines; blank ones skipped) as the mapping `probe_media` takes, which checks the
    rates. Raises `MediaError` (`ValidationError` on `field`) for an item without `=`."""
    rates = {}
    for line in lines:
        if not line.strip():
            continue
        key, equals, fps = line.strip().rpartition("=")
        if not equals:
            raise MediaError(ValidationError(
                field=field, message="needs FILE_OR_CAMERA=FPS", expected="ch01.264=12",
                actual=line.strip()[:80]))
        rates[key.strip()] = fps.strip()
    return rates


def analyst_rates(rates: Mapping[str, FrameRate] | None) -> dict[str, Rate]:
    """The analyst's frame rates as exact fractions (`12`, `12.5`, `"30000/1001"`). Raises
    `MediaError` (`ValidationError`) for an empty key or a rate that is not a positive
    number up to `MAX_ANALYST_FPS`."""
    exact: dict[str, Rate] = {}
    for key, value in (rates or {}).items():
        name = str(key).strip()
        if not name:
            raise MediaError(ValidationError(field="rates", message="a rate needs a file or "
                                             "camera to apply to", actual=repr(key)))
        try:
            fps = Fraction(str(value).strip()) if not isinstance(value, Fraction) else value
        except (ValueError, ZeroDivisionError):
            fps = None
        rate = Rate.of(fps) if fps is not None and fps <= MAX_ANALYST_FPS else None
        if rate is None:
            raise MediaError(ValidationError(
                field=f"rates[{name}]", expected=f"frames a second, above 0 and up to "
                f"{MAX_ANALYST_FPS} (e.g. 12, 12.5 or 30000/1001)", actual=str(value)[:80],
                message="is not a frame rate"))
        exact[name] = rate
    return exact


def coverage(media: MediaReport, case: CaseData | None = None, *,
             tolerance: timedelta | float = DEFAULT_TOLERANCE) -> Coverage:
    """Per camera, the recorded stretches, gaps and share of `case`'s video window (default:
    the case the probe knew). Breaks up to `tolerance` (seconds) are not gaps."""
    gap = tolerance if isinstance(tolerance, timedelta) else timedelta(seconds=tolerance)
    if gap < timedelta(0):
        raise MediaError(ValidationError(field="tolerance", message="must not be negative",
                                         actual=str(tolerance)))
    return compute_coverage(media, case if case is not None else media.case, gap)


def dvr_offset_from(recorder_showed: datetime | str, real_time: datetime | str, *,
                    date_order: DateOrder | None = None) -> timedelta:
    """The DVR offset from one observed pair: the recorder showed `recorder_showed` when the
    real time was `real_time` (datetimes, or text as the case's dates are typed: ISO 8601, or
    slashed when `date_order` says which). Positive: the recorder is ahead.

    Raises `MediaError` (`ValidationError`) for a time that cannot be read, or when one time
    has a zone and the other not.
    """
    shown = read_moment("recorder_showed", recorder_showed, date_order, MediaError)
    real = read_moment("real_time", real_time, date_order, MediaError)
    if (shown.tzinfo is None) != (real.tzinfo is None):
        raise MediaError(ValidationError(
            field="real_time", message="both times need a time zone, or neither"))
    return offset_from(shown, real)


def frame_timing(path: PathLike, stream: int | None = None) -> FrameTiming | None:
    """The frame timing of one file's video stream (default: its first), read in this process
    by demuxing every packet: recorded intervals, frame count, nominal rate (None when no
    header gives one) and measured rate, timing problems. None when the file has no video.

    For other rooms that need one clip's frame times now (a playable copy of a raw stream);
    a batch of untrusted files goes through `probe_media`, whose workers may crash safely.
    Raises `MediaError`: `PathNotFound`, or `NotMedia` for a file FFmpeg cannot open.
    """
    import av  # PyAV: only when asked

    from workbench.media.decode.timing import read_timing

    target = Path(path).expanduser()
    if not target.is_file():
        raise MediaError(PathNotFound(path=str(target)))
    try:
        fields = read_timing(str(target), stream)
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(target), "read")) from None
    except av.FFmpegError as exc:
        raise MediaError(NotMedia(path=str(target), detail=str(exc)[:300])) from None
    return None if fields is None else FrameTiming.model_validate(fields)


def match_name(*names: str) -> list[NameReading]:
    """Which pattern (the user's, then the bundled library, then the two-phase fallback)
    reads each file name or relative path, and what it reads: start, end, camera, zone,
    confidence; an ambiguous date is said, never guessed. Raises `MediaError`
    (`CorruptFile`) for an unreadable user patterns file."""
    patterns = load_patterns()
    return [read_name(name, patterns) for name in names]


def stored_media(case_dir: PathLike) -> MediaReport | None:
    """The footage analysis stored in a case folder's `_evidence/media/` (None: none yet)."""
    return stored_report(Path(case_dir))


__all__ = ["MAX_ANALYST_FPS", "FrameRate", "analyst_rates", "coverage", "dvr_offset_from",
           "frame_timing", "match_name", "probe_media", "stored_media"]

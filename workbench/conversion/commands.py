"""Conversion commands: playable copies of a case folder's clips, the timeline video.

Thin: they check their arguments, read the footage (the media room's analysis, probed afresh
in its worker pool) and raise `ConversionError` with a typed payload for bad input. A clip
that cannot be converted is a row with its typed error, never an exception out of the batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

from workbench.cases.dates import DateOrder, read_moment
from workbench.conversion.playable import make_copies, remux_pool
from workbench.conversion.timeline import render_window
from workbench.conversion.types import Container, PlayableReport, RenderProgress, TimelineVideo
from workbench.errors import ConversionError, MediaError, PathNotFound, ValidationError
from workbench.events import CancelToken
from workbench.evidence.record import last_case
from workbench.media import MediaProgress, MediaReport
from workbench.media.analysis import analyse, check_pool_settings, list_folder, probe_pool
from workbench.media.timing import load_patterns
from workbench.paths import absolute

PathLike = str | os.PathLike[str]
DEFAULT_TIMEOUT = 600.0
"""Seconds one output may take in its worker before it is stopped (a hung demuxer)."""
PROBE_TIMEOUT = 60.0
"""Seconds one clip's probe may take before its worker is stopped."""


def footage_of(case_dir: Path, workers: int | None, cancel: CancelToken | None) -> MediaReport:
    """The case folder's clips probed now (nothing written: the analysis is not stored)."""
    try:
        with probe_pool(workers, PROBE_TIMEOUT) as pool:
            return analyse(list_folder(case_dir), None, case=last_case(case_dir),
                           patterns=load_patterns(), thumbnails=False, pool=pool, cancel=cancel)
    except MediaError as exc:
        raise ConversionError(exc.payload) from None


def case_folder(case_dir: PathLike) -> Path:
    """`case_dir` as an absolute folder that exists (typed `PathNotFound` if not)."""
    folder = absolute(case_dir)
    if not folder.is_dir():
        raise ConversionError(PathNotFound(path=str(folder)))
    return folder


def make_playable(
    case_dir: PathLike, out: PathLike | None = None, container: Container = "mkv", *,
    only_unplayable: bool = True, join: bool = False, deep: bool = False,
    workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[MediaProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> PlayableReport:
    """Playable copies of the case folder's video clips, by stream copy, each proven.

    Every clip (or, with `only_unplayable`, every clip common players cannot open: `.dav`, PS,
    damaged files) is copied packet for packet into MKV (any codec) or MP4 (refused, typed
    `CodecNotCarried`, for a codec MP4 cannot hold), timestamps kept, the recorder's and the
    real clock as a subtitle track (MP4: an `.srt` beside it). The copy is read back from disk
    (cache dropped) and every packet's payload (NAL units for H.264/HEVC), order and
    timestamps compared: `lossless_verified`, else `RemuxMismatch` and the copy removed;
    `deep=True` also decodes both and compares every picture. A damaged master gives a
    `partial` copy of what is readable, with the missing extent. `join=True` makes one file per
    camera (per run of clips whose codec parameters match), chapters marking the clips.

    Copies go to the case folder's `derived/playable/` (or `out`, never beside the evidence),
    are listed in the derived folder's own manifest and in one custody line for the run.

    Raises `ConversionError`: `PathNotFound`, `ValidationError` (container, workers, timeout, an
    `out` beside the evidence), `PermissionDenied` (a read-only case folder without `out`).
    """
    folder = case_folder(case_dir)
    if container not in get_args(Container):
        raise ConversionError(ValidationError(
            field="container", message="must be mkv or mp4", actual=str(container)))
    check_pool_settings(workers, timeout, ConversionError)
    target = absolute(out) if out is not None else None
    with remux_pool(workers, timeout) as pool:
        pool.prestart()  # the remux workers get ready while the footage is probed
        media = footage_of(folder, workers, cancel)
        return make_copies(folder, media, pool, out=target, container=container,
                           only_unplayable=only_unplayable, join=join, deep=deep,
                           timeout=timeout, on_progress=on_progress, cancel=cancel)


def render_timeline(
    case_dir: PathLike, start: datetime | str, end: datetime | str,
    layout: Literal["grid"] = "grid", out: PathLike | None = None, *,
    workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[RenderProgress], None] | None = None,
    cancel: CancelToken | None = None, date_order: DateOrder | None = None,
) -> TimelineVideo:
    """One video of `start`–`end` (real time, the case's clock corrected by its DVR offset):
    every camera a tile of a grid, the real clock and each tile's recorder clock burnt in, a
    slate over each gap, damaged clips marked. Re-encoded by nature (FFmpeg's own MPEG-4
    encoder): a presentation aid, not evidence; a sidecar JSON names the source (and its
    blake3) of every segment. A window with no footage is one slate, not an error.
    `on_progress` gets the frames rendered of the video's frames; `cancel` stops the render
    and keeps nothing of it; `timeout` is the seconds the render may go without a new frame
    (a long window may take longer than that in all). `start`/`end` as text are ISO 8601, or
    slashed (`DD/MM/YYYY HH:MM`, `MM/DD/YYYY HH:MM`) when `date_order` says which.

    Raises `ConversionError`: `PathNotFound`, `ValidationError` (times, layout, an `out` beside
    the evidence), `PermissionDenied` (a read-only case folder without `out`), and the render's
    own typed failure (`DiskFull`, `ProbeCrashed`, `Timeout`, ...).
    """
    folder = case_folder(case_dir)
    begin, finish = _moment("start", start, date_order), _moment("end", end, date_order)
    if finish <= begin:
        raise ConversionError(ValidationError(field="end", message="must be after start",
                                              actual=str(end)))
    if layout != "grid":
        raise ConversionError(ValidationError(field="layout", message="must be grid",
                                              actual=str(layout)))
    check_pool_settings(workers, timeout, ConversionError)
    media = footage_of(folder, workers, cancel)
    return render_window(folder, media, begin, finish,
                         out=absolute(out) if out is not None else None, timeout=timeout,
                         cancel=cancel, on_progress=on_progress)


def _moment(field: str, value: datetime | str, order: DateOrder | None) -> datetime:
    moment = read_moment(field, value, order, ConversionError)
    if moment.tzinfo is not None:
        raise ConversionError(ValidationError(
            field=field, message="must be a real time without a zone (the case's clock)",
            actual=str(value)[:80]))
    return moment


__all__ = ["DEFAULT_TIMEOUT", "case_folder", "footage_of", "make_playable", "render_timeline"]

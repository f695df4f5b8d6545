"""The timeline video of a window: lanes and segments planned from the footage analysis, the
render in a worker process, the video and its sidecar of segments published without
clobbering under `derived/timeline/`, recorded as derived (never as evidence)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

from workbench.atomic import write_temp
from workbench.conversion.record import (
    ADOPTED,
    DerivedRun,
    derived_run,
    discard,
    ffmpeg_version,
    free_name,
    output_root,
    publish,
    record_run,
    shown_path,
    worker_failure,
)
from workbench.conversion.render import Lane, RenderJob, RenderResult, TileClip
from workbench.conversion.render.progress import FrameWatch, frame_total
from workbench.conversion.types import RenderProgress, TimelineSegment, TimelineVideo
from workbench.errors import Cancelled, ConversionError, IoError
from workbench.events import CancelToken
from workbench.evidence.manifest import read_manifest
from workbench.hashing.partial import partial_path
from workbench.media import MediaFile, MediaReport
from workbench.media.decode import WorkerPool

KIND = "timeline"
"""Sub-folder of `derived/` holding timeline videos."""
ENCODER = "mpeg4"
"""FFmpeg's own MPEG-4 Part 2 encoder (LGPL v2.1+, inside PyAV's wheels; no GPL encoder)."""
ENCODER_NOTE = ("FFmpeg's native MPEG-4 Part 2 encoder `mpeg4` (libavcodec, LGPL 2.1 or later), "
                "yuv420p, in MP4")
DEFAULT_TILE = (320, 180)
"""Tile size when no clip says its own."""
MAX_FPS = 30
"""Highest frame rate of a timeline video."""
BITS_PER_PIXEL = 0.25
"""Target bits per pixel and frame (clamped to `BIT_RATES`)."""
BIT_RATES = (400_000, 20_000_000)


def _timed(media: MediaReport) -> list[MediaFile]:
    return [row for row in media.rows if row.kind == "video" and row.recorder_start is not None
            and row.recorder_end is not None]


def lanes_of(media: MediaReport) -> tuple[list[Lane], timedelta]:
    """One lane per camera of the timed video clips (real times: recorder minus offset)."""
    offset = media.dvr_offset or timedelta(0)
    cameras: dict[str, list[TileClip]] = {}
    for row in sorted(_timed(media), key=lambda r: (r.camera, r.recorder_start)):
        assert row.recorder_start is not None and row.recorder_end is not None
        cameras.setdefault(row.camera, []).append(TileClip(
            str(row.path), row.recorder_start - offset, row.recorder_end - offset, offset,
            row.problem.type if row.problem else None))
    known = media.dvr_offset is not None
    return [Lane(camera, tuple(clips), known) for camera, clips in sorted(cameras.items())], offset


def segments_of(media: MediaReport, start: datetime, end: datetime, manifest: dict[str, str]
                ) -> list[TimelineSegment]:
    """Every stretch of every camera in the window: footage, damaged footage, or a gap."""
    offset = media.dvr_offset or timedelta(0)
    found: list[TimelineSegment] = []
    by_camera: dict[str, list[MediaFile]] = {}
    for row in _timed(media):
        by_camera.setdefault(row.camera, []).append(row)
    for camera, rows in sorted(by_camera.items()):
        cursor = start
        for row in sorted(rows, key=lambda r: r.recorder_start or start):
            assert row.recorder_start is not None and row.recorder_end is not None
            real_start, real_end = row.recorder_start - offset, row.recorder_end - offset
            lo, hi = max(start, real_start, cursor), min(end, real_end)
            if hi <= lo:
                continue
            if lo > cursor:
                found.append(TimelineSegment(camera=camera, kind="gap", real_start=cursor,
                                             real_end=lo))
            found.append(TimelineSegment(
                camera=camera, kind="damaged" if row.problem else "footage", real_start=lo,
                real_end=hi, source=row.relative,
                source_blake3=manifest.get(row.relative.as_posix()),
                source_start_s=(lo - real_start).total_seconds(),
                source_end_s=(hi - real_start).total_seconds()))
            cursor = hi
        if cursor < end:
            found.append(TimelineSegment(camera=camera, kind="gap", real_start=cursor,
                                         real_end=end))
    return found


def _tile_and_rate(media: MediaReport) -> tuple[tuple[int, int], int]:
    rows = _timed(media)
    width = max((row.width or 0 for row in rows), default=0)
    height = max((row.height or 0 for row in rows), default=0)
    tile = (width + width % 2, height + height % 2) if width and height else DEFAULT_TILE
    rate = max((row.avg_frame_rate or 0 for row in rows), default=0)
    return tile, max(1, min(MAX_FPS, math.ceil(rate)))


class _Planned(NamedTuple):
    """What one render makes: its job, its video (before the render) and the video's name."""

    job: RenderJob
    video: TimelineVideo
    final: Path
    orphan: Path | None
    """The video a killed run published under this name and did not finish recording: kept
    (and recorded) when it holds exactly the bytes rendered now."""


def render_window(case_dir: Path, media: MediaReport, start: datetime, end: datetime, *,
                  out: Path | None, timeout: float, cancel: CancelToken | None,
                  on_progress: Callable[[RenderProgress], None] | None = None
                  ) -> TimelineVideo:
    """Render, publish and record the timeline video of `start`–`end` (real time); progress
    is frames done of the video's frames. Holds the derived run lock, as playable copies do
    (they may share `out` and its manifest)."""
    root, folder = output_root(case_dir, out, KIND)
    with derived_run(case_dir, root) as run:
        planned = _plan(run, media, start, end, folder)
        run.expect([planned.final])
        return _render(run, planned, timeout, cancel, on_progress)


def _plan(run: DerivedRun, media: MediaReport, start: datetime, end: datetime, folder: Path
          ) -> _Planned:
    lanes, _ = lanes_of(media)
    segments = segments_of(media, start, end, read_manifest(run.case_dir, "blake3"))
    tile, fps = _tile_and_rate(media)
    columns = max(1, math.ceil(math.sqrt(max(1, len(lanes)))))
    pixels = columns * tile[0] * math.ceil(max(1, len(lanes)) / columns) * tile[1]
    bit_rate = int(min(BIT_RATES[1], max(BIT_RATES[0], pixels * fps * BITS_PER_PIXEL)))
    stem = f"timeline_{start:%Y%m%d_%H%M%S}_{end:%H%M%S}"
    orphan = run.orphan(folder / f"{stem}.mp4")
    final = free_name(folder, stem, ".mp4", set())
    job = RenderJob(tuple(lanes), start, end, fps, tile, str(partial_path(final)), ENCODER, {},
                    bit_rate)
    cameras = [lane.camera for lane in lanes]
    settings: dict[str, Any] = {"encoder": ENCODER_NOTE, "fps": fps, "tile": list(tile),
                                "bit_rate": bit_rate, "layout": "grid", "cameras": cameras}
    video = TimelineVideo(path=None, sidecar=None, start=start, end=end, layout="grid",
                          cameras=cameras, segments=segments, encoder=ENCODER_NOTE,
                          settings=settings, ffmpeg=ffmpeg_version())
    return _Planned(job, video, final, orphan)


def _render(run: DerivedRun, planned: _Planned, timeout: float, cancel: CancelToken | None,
            on_progress: Callable[[RenderProgress], None] | None) -> TimelineVideo:
    """Render `planned` in a worker, then publish (or keep the orphan it equals) and record
    it; under the derived run lock."""
    job, video, final, case_dir = planned.job, planned.video, planned.final, run.case_dir
    total = frame_total(job.start, job.end, job.fps)
    relay = None if on_progress is None else (
        lambda done: on_progress(RenderProgress(min(done, total), total, final.name)))
    result = _run(job, timeout, cancel, relay)
    partial = Path(job.partial)
    if result is None:
        discard(partial)
        video = video.model_copy(update={"outcome": "cancelled"})
        record_run(case_dir, run.root, {}, _custody(video, case_dir, Cancelled().describe()))
        return video
    if result.error is not None or result.blake3 is None:
        discard(partial)
        raise ConversionError(result.error or IoError(path=job.partial, operation="render",
                                                      detail="no digest"))
    adopted = run.adopts(planned.orphan, result.blake3)
    try:
        path = planned.orphan if adopted and planned.orphan else publish(partial, final, set())
        discard(partial)
        sidecar = _write_sidecar(run, path, video)
    except OSError as exc:
        discard(partial)
        raise ConversionError(IoError(path=str(final), operation="publish",
                                      detail=exc.strerror or str(exc))) from None
    video = video.model_copy(update={"path": path, "sidecar": sidecar[0], "frames": result.frames,
                                     "blake3": result.blake3})
    entry = _custody(video, case_dir, None, ADOPTED if adopted else None)
    errors = record_run(case_dir, run.root, {path: result.blake3, sidecar[0]: sidecar[1]}, entry)
    if errors:
        raise ConversionError(errors[0])
    return video


def _run(job: RenderJob, timeout: float, cancel: CancelToken | None,
         relay: Callable[[int], None] | None) -> RenderResult | None:
    """Render in a worker; `timeout` bounds a stall (seconds without a new frame), not the
    whole render, which may take longer than real time."""
    from workbench.conversion.render.worker import render  # PyAV: only when rendering

    with WorkerPool(render, workers=1, timeout=timeout) as pool:

        def moved(done: int) -> None:
            pool.progressed()
            if relay is not None:
                relay(done)

        with FrameWatch(moved) as watch:
            for _, outcome in pool.map([job._replace(progress=watch.path)], cancel):
                if isinstance(outcome, RenderResult):
                    return outcome
                return RenderResult(error=worker_failure(job.partial, outcome, timeout))
    return None


def _write_sidecar(run: DerivedRun, video_path: Path, video: TimelineVideo
                   ) -> tuple[Path, str]:
    """The segments' sidecar beside the video: one already there with these bytes (a killed
    run's) is kept, else it is written and published under a free name. Raises OSError."""
    import blake3

    document = {
        "what": "Segments of a timeline video: a presentation aid, not evidence",
        "video": video_path.name, "start": video.start.isoformat(),
        "end": video.end.isoformat(), "encoder": video.encoder, "settings": video.settings,
        "segments": [segment.model_dump(mode="json") for segment in video.segments],
    }
    data = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode()
    digest = blake3.blake3(data).hexdigest()
    beside = video_path.with_name(f"{video_path.stem}.segments.json")
    if run.adopts(run.orphan(beside), digest):
        return beside, digest
    final = free_name(video_path.parent, beside.stem, ".json", set())
    run.expect(temps=[final])
    return publish(write_temp(final, data, 0o644), final, set()), digest


def _custody(video: TimelineVideo, case_dir: Path, error: str | None, note: str | None = None
             ) -> dict[str, Any]:
    sources = sorted({(s.source.as_posix(), s.source_blake3) for s in video.segments
                      if s.source is not None})
    return {
        "kind": KIND, "tool": "Case Workbench timeline video (re-encoded: not evidence)",
        "ffmpeg": video.ffmpeg, "settings": video.settings,
        "started": datetime.now(timezone.utc).isoformat(),
        "window": [video.start.isoformat(), video.end.isoformat()],
        "outcome": video.outcome if error is None else "cancelled",
        "outputs": [{"path": shown_path(video.path, case_dir) if video.path else None,
                     "blake3": video.blake3, "frames": video.frames,
                     "sidecar": shown_path(video.sidecar, case_dir) if video.sidecar else None,
                     "sources": [{"path": p, "blake3": d} for p, d in sources],
                     **({"note": note} if note else {})}],
    }


__all__ = ["ENCODER", "ENCODER_NOTE", "KIND", "lanes_of", "render_window", "segments_of"]

"""Playable copies of a case folder's clips: planned from the footage analysis, made and proven
in the worker pool, published without clobbering, recorded in the derived manifest and the
custody log."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from pathvalidate import sanitize_filename

from workbench.conversion.batches import Pool, run_batches
from workbench.conversion.plan import Group, groups, plays_already
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
from workbench.conversion.remux.job import Clip, RemuxJob, RemuxResult
from workbench.conversion.types import Container, PlayableReport, PlayableRow
from workbench.errors import (
    Cancelled,
    ConversionError,
    ErrorPayload,
    IoError,
    payload_from_os_error,
)
from workbench.events import CancelToken
from workbench.evidence.manifest import read_manifest
from workbench.hashing.partial import partial_path
from workbench.media import MediaFile, MediaProgress, MediaReport, coverage
from workbench.media.decode import Failure, shared_pool
from workbench.media.timing import to_real

KIND = "playable"
"""Sub-folder of `derived/` holding playable copies."""
SUFFIXES = {"mkv": ".mkv", "mp4": ".mp4"}
"""File suffix of each container."""


class _Planned(NamedTuple):
    group: Group
    final: Path
    srt: Path | None
    job: RemuxJob
    orphan: Path | None
    """The file a killed run published under this copy's own name and did not finish
    recording: kept (and recorded) when it holds exactly the bytes of the copy made now."""


def make_copies(case_dir: Path, media: MediaReport, pool: Pool, *,
                out: Path | None, container: Container, only_unplayable: bool, join: bool,
                deep: bool, timeout: float, on_progress: Callable[[MediaProgress], None] | None,
                cancel: CancelToken | None) -> PlayableReport:
    """Make, prove, publish and record the playable copies of `media`'s video clips in
    `pool` (see `remux_pool`)."""
    started = datetime.now(timezone.utc)
    root, folder = output_root(case_dir, out, KIND)
    manifest = read_manifest(case_dir, "blake3")
    with derived_run(case_dir, root) as run:
        rows, outputs = _make(case_dir, media, manifest, pool, folder, run,
                              container=container, only_unplayable=only_unplayable, join=join,
                              deep=deep, timeout=timeout, on_progress=on_progress,
                              cancel=cancel)
        cancelled = any(row.status == "cancelled" for row in rows)
        failed = any(row.status in ("mismatch", "error", "partial") for row in rows)
        report = PlayableReport(
            case_dir=case_dir, out_dir=folder, container=container, join=join, rows=rows,
            outcome="cancelled" if cancelled else "completed_with_errors" if failed
            else "completed", started=started, finished=datetime.now(timezone.utc),
            ffmpeg=ffmpeg_version(),
            settings={"container": container, "join": join, "only_unplayable": only_unplayable,
                      "deep": deep, "method": "stream copy (no decoding, no encoding)"},
        )
        errors = record_run(case_dir, root, outputs, _custody(report, case_dir, manifest))
    return report.model_copy(update={"record_errors": errors}) if errors else report


def _make(case_dir: Path, media: MediaReport, manifest: dict[str, str], pool: Pool,
          folder: Path, run: DerivedRun, *, container: Container,
          only_unplayable: bool, join: bool, deep: bool, timeout: float,
          on_progress: Callable[[MediaProgress], None] | None, cancel: CancelToken | None
          ) -> tuple[list[PlayableRow], dict[Path, str]]:
    """The rows of every video clip (made, skipped or cancelled) and the outputs published."""
    video = [row for row in media.rows if row.kind == "video"]
    left = [only_unplayable and plays_already(row) for row in video]
    chosen = [row for row, skip in zip(video, left, strict=True) if not skip]
    rows = [_skipped(row, container) for row, skip in zip(video, left, strict=True) if skip]
    taken: set[Path] = set()
    planned = [_plan(group, folder, container, deep, media, manifest, taken, run.orphan)
               for group in groups(chosen, join, _outside_window(media) if join else frozenset())]
    run.expect(path for item in planned for path in (item.final, item.srt) if path is not None)
    outputs: dict[Path, str] = {}
    done: dict[int, PlayableRow] = {}
    sizes = [sum(clip.size for clip in item.group.clips) for item in planned]
    for index, outcome in run_batches(pool, [p.job for p in planned], sizes, cancel):
        done[index] = _finish(planned[index], outcome, run, media, timeout, taken, outputs)
        if on_progress is not None:
            on_progress(MediaProgress(len(done), len(planned), planned[index].final.name))
    for index, item in enumerate(planned):
        if index not in done:
            discard(Path(item.job.partial), _srt_partial(item))
            done[index] = _row(item, case_dir, media, "cancelled", error=Cancelled())
    rows += [done[index] for index in range(len(planned))]
    _prune(folder, {item.final.parent for item in planned})
    return rows, outputs


def _outside_window(media: MediaReport) -> frozenset[PurePosixPath]:
    """The clips wholly outside the case's video window (none without a window)."""
    return frozenset(path for camera in coverage(media).cameras for path in camera.outside)


def _prune(folder: Path, made: set[Path]) -> None:
    """Remove the folders this run made that hold nothing (every copy in them failed)."""
    for where in sorted(made, key=lambda path: len(path.parts), reverse=True):
        while where != folder and where.is_relative_to(folder):
            try:
                where.rmdir()
            except OSError:
                break
            where = where.parent


def remux_pool(workers: int | None, timeout: float) -> AbstractContextManager[Pool]:
    """The warm pool of remux workers (kept between runs, as the probe's is: see
    `shared_pool`)."""
    return shared_pool(remux_task(), workers=workers, timeout=timeout)


def remux_task() -> Callable[[tuple[RemuxJob, ...]], tuple[RemuxResult, ...]]:
    """The function the workers run (a seam: tests put a crashing or hanging one here)."""
    from workbench.conversion.remux.worker import remux_batch  # PyAV: only when converting

    return remux_batch


def _skipped(row: MediaFile, container: Container) -> PlayableRow:
    return PlayableRow(camera=row.camera, sources=[row.relative], container=container,
                       status="skipped", recorder_start=row.recorder_start,
                       notes=["plays as it is in common players (only_unplayable=True)"])


def _plan(group: Group, folder: Path, container: Container, deep: bool, media: MediaReport,
          manifest: dict[str, str], taken: set[Path],
          orphan: Callable[[Path], Path | None]) -> _Planned:
    first = group.clips[0]
    where = folder.joinpath(*first.relative.parent.parts)
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConversionError(payload_from_os_error(exc, str(where), "create")) from None
    if len(group.clips) == 1:
        stem = first.relative.stem
    else:
        moment = f"{first.recorder_start:%Y%m%d_%H%M%S}" if first.recorder_start else "untimed"
        stem = sanitize_filename(f"{first.camera or 'camera'}_joined_{moment}")
    left = orphan(where / f"{stem}{SUFFIXES[container]}")
    final = free_name(where, stem, SUFFIXES[container], taken)
    srt = free_name(where, final.stem, ".srt", taken) if container == "mp4" else None
    offset = media.dvr_offset
    clips = tuple(
        Clip(str(clip.path), clip.relative.as_posix(), clip.recorder_start, offset,
             manifest.get(clip.relative.as_posix()), clip.problem is not None)
        for clip in group.clips)
    metadata = {
        "title": f"{first.relative.as_posix()} — stream copy (Case Workbench)",
        "comment": "Stream copy of the master, no decoding or encoding; the DVR and real "
                   "clocks are in the subtitle track",
        "source": ", ".join(clip.relative.as_posix() for clip in group.clips),
    }
    if first.recorder_start is not None:
        metadata["recorder_start"] = first.recorder_start.isoformat()
        real = to_real(first.recorder_start, offset)
        if offset is not None and real is not None:
            metadata["real_start"] = real.isoformat()
    srt_partial = str(partial_path(srt)) if srt is not None else None
    job = RemuxJob(clips, str(partial_path(final)), srt_partial, container, deep, metadata)
    return _Planned(group, final, srt, job, left)


def _srt_partial(item: _Planned) -> Path | None:
    return Path(item.job.srt_partial) if item.job.srt_partial else None


def _finish(item: _Planned, outcome: RemuxResult | Failure, run: DerivedRun, media: MediaReport,
            timeout: float, taken: set[Path], outputs: dict[Path, str]) -> PlayableRow:
    partial, srt_partial, case_dir = Path(item.job.partial), _srt_partial(item), run.case_dir
    if not isinstance(outcome, RemuxResult):
        discard(partial, srt_partial)
        return _row(item, case_dir, media, "error", error=worker_failure(
            item.job.clips[0].path, outcome, timeout))
    if outcome.status not in ("lossless_verified", "partial"):
        discard(partial, srt_partial)
        return _row(item, case_dir, media, outcome.status, result=outcome, error=outcome.error)
    adopted = run.adopts(item.orphan, outcome.output_blake3)
    if adopted:
        outcome = outcome._replace(notes=(*outcome.notes, ADOPTED))
    try:
        final = item.orphan if adopted and item.orphan else publish(partial, item.final, taken)
        srt = _publish_srt(run, srt_partial, final, outcome.srt_blake3, taken)
        discard(partial)
    except OSError as exc:
        discard(partial, srt_partial)
        return _row(item, case_dir, media, "error", result=outcome, error=IoError(
            path=str(item.final), operation="publish", detail=exc.strerror or str(exc)))
    assert outcome.output_blake3 is not None
    outputs[final] = outcome.output_blake3
    if srt is not None and outcome.srt_blake3 is not None:
        outputs[srt] = outcome.srt_blake3
    return _row(item, case_dir, media, outcome.status, result=outcome, final=final, srt=srt)


def _publish_srt(run: DerivedRun, partial: Path | None, final: Path, digest: str | None,
                 taken: set[Path]) -> Path | None:
    """The subtitles beside `final`: one a killed run left there with the same bytes is
    kept, else `partial` is published. Raises OSError."""
    if partial is None:
        return None
    beside = final.with_suffix(".srt")
    if run.adopts(run.orphan(beside), digest):
        discard(partial)
        return beside
    return publish(partial, beside, taken)


def _row(item: _Planned, case_dir: Path, media: MediaReport, status: str, *,
         result: RemuxResult | None = None, error: ErrorPayload | None = None,
         final: Path | None = None, srt: Path | None = None) -> PlayableRow:
    first = item.group.clips[0]
    notes = list(result.notes if result else ()) + ([item.group.note] if item.group.note else [])
    values: dict[str, Any] = {}
    if result is not None:
        values = {
            "packets": result.packets, "source_blake3": list(result.source_blake3),
            "output_blake3": result.output_blake3 if final else None,
            "subtitles_blake3": result.srt_blake3 if srt else None,
            "missing_bytes": result.missing_bytes, "missing_from": result.missing_from,
            "filled_timestamps": result.filled, "exact_timestamps": result.exact,
            "frames_compared": result.frames, "cache_free": result.cache_free,
            "chapters": result.chapters,
        }
    real = to_real(first.recorder_start, media.dvr_offset) if media.dvr_offset else None
    return PlayableRow(
        camera=first.camera, sources=[clip.relative for clip in item.group.clips],
        container=item.job.container,
        status=status,
        output=final, subtitles=srt, recorder_start=first.recorder_start, real_start=real,
        notes=notes, error=error, **values)


def _custody(report: PlayableReport, case_dir: Path, manifest: dict[str, str]
             ) -> dict[str, Any]:
    return {
        "kind": KIND, "tool": "Case Workbench playable copy (PyAV stream copy)",
        "ffmpeg": report.ffmpeg, "settings": report.settings,
        "started": report.started.isoformat(), "outcome": report.outcome,
        "outputs": [
            {"path": shown_path(row.output, case_dir) if row.output else None,
             "blake3": row.output_blake3, "status": row.status,
             "subtitles": shown_path(row.subtitles, case_dir) if row.subtitles else None,
             "subtitles_blake3": row.subtitles_blake3, "packets": row.packets,
             "missing_bytes": row.missing_bytes,
             "error": f"{row.error.type}: {row.error.describe()}" if row.error else None,
             "sources": [{"path": source.as_posix(),
                          "blake3": (row.source_blake3[i] if i < len(row.source_blake3)
                                     else None) or manifest.get(source.as_posix())}
                         for i, source in enumerate(row.sources)],
             **({"note": ADOPTED} if ADOPTED in row.notes else {})}
            for row in report.rows if row.status != "skipped"
        ],
    }


__all__ = ["KIND", "make_copies", "remux_pool"]

"""A footage analysis: list the files, probe them in the worker pool, time them, keep the
keyframe images, and (for a case folder) store the result under `_evidence/media/`.

Evidence is only read. What the analysis derives goes under the case folder's evidence
record (never beside the footage, never into a manifest); a folder that is not a case folder
(a source drive before its copy) gets nothing written into it: its keyframe images go to the
workbench home's cache.
"""

from __future__ import annotations

import hashlib
import logging
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from workbench import events
from workbench.atomic import pretty_json, write_atomic
from workbench.cases import CaseData
from workbench.errors import (
    Cancelled,
    CorruptFile,
    ErrorPayload,
    FieldProblem,
    IoError,
    MediaError,
    ProbeCrashed,
    Timeout,
    Unsupported,
    ValidationError,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.events import CancelToken
from workbench.evidence.layout import RECORD_DIRS, evidence_dir
from workbench.evidence.record import last_case
from workbench.hashing.tree import list_files as tree_files
from workbench.media.decode import (
    Crashed,
    Failed,
    Failure,
    Probe,
    ProbeRequest,
    ProbeResult,
    TimedOut,
    WorkerPool,
    WorkerStartError,
    claimed_kind,
    probe_of,
    shared_pool,
)
from workbench.media.frames import Rate
from workbench.media.keyframes import TILE_IMAGE_HEIGHT, TILE_WIDTH, KeyframeArchive
from workbench.media.timing import DvrPattern, recorders_of, recording
from workbench.media.types import MediaFile, MediaReport
from workbench.preferences import workbench_home

log = logging.getLogger(__name__)

MEDIA_DIR = "media"
"""Folder of the evidence record (`_evidence/media/`) that holds what the analysis derives."""
KEYFRAMES_FILE = "keyframes.zip"
"""Its archive of keyframe images (a stored ZIP)."""
REPORT_FILE = "media.json"
"""The stored analysis (`_evidence/media/media.json`), read back by the printable report."""
CACHE_DIR = "cache/keyframes"
"""Folder of the workbench home for the keyframe archives of folders that are not case
folders."""
DEFAULT_TIMEOUT = 30.0
"""Seconds one file may take before its worker is stopped (a `Timeout` row)."""
PROBE_TASK = "workbench.media.decode.probe:probe_file"
"""The workers' task (PyAV loads in the workers only, never in the caller)."""


class MediaProgress(NamedTuple):
    """How far a probe is: files done of all, and the last file done."""

    files_done: int
    files_total: int
    current: str


ProgressCallback = Callable[[MediaProgress], None]


class _Listed(NamedTuple):
    path: Path
    relative: PurePosixPath
    size: int
    mtime_ns: int
    unsupported: str | None = None
    """What it is when it is not a regular file (it is not read: a link may lead anywhere)."""


_SPECIAL = ((stat.S_ISLNK, "symbolic link"), (stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"),
            (stat.S_ISBLK, "block device"), (stat.S_ISCHR, "character device"))


def media_dir(case_dir: Path) -> Path:
    """`_evidence/media/` of a case folder."""
    return evidence_dir(case_dir) / MEDIA_DIR


def is_case_folder(folder: Path) -> bool:
    """Whether `folder` holds an evidence record (so derived files may go into it)."""
    return evidence_dir(folder).is_dir()


def list_folder(root: Path) -> list[_Listed]:
    """Every entry under `root` but folders (its record folders skipped), in path order."""
    try:
        found = tree_files(root, RECORD_DIRS)
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(root), "list")) from None
    return [
        _Listed(root / name, PurePosixPath(name), info.st_size, info.st_mtime_ns,
                next((kind for test, kind in _SPECIAL if test(info.st_mode)), None))
        for name, info in sorted(found.items())
    ]


def list_files(paths: Sequence[Path]) -> list[_Listed]:
    """The given files, each by its own name."""
    listed = []
    for path in paths:
        try:
            info = path.stat()
        except OSError as exc:
            raise MediaError(payload_from_os_error(exc, str(path), "read")) from None
        listed.append(_Listed(path, PurePosixPath(path.name), info.st_size, info.st_mtime_ns))
    return listed


def worker_start_error(exc: WorkerStartError) -> IoError:
    """The typed error of a worker that would not start."""
    return IoError(path=sys.executable, operation="start a decoder worker", detail=str(exc))


def check_pool_settings(workers: int | None, timeout: float,
                        error: type[WorkbenchError]) -> None:
    """Refuse a worker pool of fewer than one worker, or a timeout that is not positive, as
    `error(ValidationError)` (each command raises its own room's class)."""
    if workers is not None and workers < 1:
        raise error(ValidationError(field="workers", message="must be at least 1",
                                    actual=str(workers)))
    if not timeout > 0:
        raise error(ValidationError(field="timeout", message="must be positive",
                                    actual=str(timeout)))


def probe_pool(workers: int | None, timeout: float
               ) -> AbstractContextManager[WorkerPool[ProbeRequest, ProbeResult]]:
    """The warm pool of probe workers (kept between analyses, see `shared_pool`)."""
    return shared_pool(PROBE_TASK, workers=workers, timeout=timeout)


def analyse(
    listed: list[_Listed], root: Path | None, *, case: CaseData | None,
    patterns: list[DvrPattern], thumbnails: bool, pool: WorkerPool[ProbeRequest, ProbeResult],
    on_progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
    rates: Mapping[str, Rate] | None = None,
) -> MediaReport:
    """Probe every listed file in `pool` and put the report together (stored for a case
    folder). `rates`: frame rates the analyst set, by file (relative path or name) or camera
    (its name or lane); a key that names none of them is a `ValidationError`."""
    timeout = pool.timeout
    started = datetime.now(timezone.utc)
    store = root is not None and is_case_folder(root)
    if case is None and root is not None and store:
        case = last_case(root)
    keyframes = _keyframes_path(listed, root, store) if thumbnails else None
    box = (TILE_WIDTH, TILE_IMAGE_HEIGHT) if keyframes is not None else None
    probed: dict[int, _Probed] = {
        index: _Probed(item, Probe(problem=Unsupported(path=str(item.path),
                                                       kind=item.unsupported)))
        for index, item in enumerate(listed) if item.unsupported is not None
    }
    readable = [index for index, item in enumerate(listed) if item.unsupported is None]
    requests = [ProbeRequest(str(listed[index].path), box) for index in readable]
    archive = _open_archive(keyframes)
    try:
        for number, outcome in pool.map(requests, cancel):
            item = listed[readable[number]]
            probed[readable[number]] = _probed(item, outcome, timeout, archive)
            if on_progress is not None:
                on_progress(MediaProgress(len(probed), len(listed), item.relative.name))
    except WorkerStartError as exc:
        if archive is not None:
            archive.discard()
        raise MediaError(worker_start_error(exc)) from None
    except BaseException:
        if archive is not None:
            archive.discard()
        raise
    cancelled = len(probed) < len(listed)
    if archive is not None and cancelled and store:
        archive.discard()  # a case folder keeps its last complete analysis, keyframes and all
        keyframes = None
    elif archive is not None:
        _close_archive(archive)
    found = [probed.get(index) or _Probed(item, Probe(kind=claimed_kind(str(item.path)),
                                                      problem=Cancelled()))
             for index, item in enumerate(listed)]
    ordered = [_row_of(done.item, done.probe, patterns, done.thumbnail) for done in found]
    recorders = recorders_of([row.relative for row in ordered],
                             [row.camera for row in ordered], case)
    ordered = [row.model_copy(update={"recorder": recorder}) if recorder else row
               for row, recorder in zip(ordered, recorders, strict=True)]
    if rates:
        ordered = _rated(ordered, found, rates, patterns)
    report = MediaReport(
        root=root, case=case, rows=ordered, rates=dict(rates or {}),
        outcome="cancelled" if cancelled else "completed", started=started,
        finished=datetime.now(timezone.utc), keyframes=keyframes,
    )
    if store and not cancelled:
        assert root is not None
        save_report(root, report)
        events.emit(events.CASE_RECORD_CHANGED, root)
    return report


def save_report(case_dir: Path, report: MediaReport) -> Path:
    """Store `report` as `_evidence/media/media.json` (atomically)."""
    path = media_dir(case_dir) / REPORT_FILE
    try:
        write_atomic(path, pretty_json(report.model_dump(mode="json")).encode())
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(path), "write")) from None
    return path


def stored_report(case_dir: Path) -> MediaReport | None:
    """The analysis stored in `case_dir` (None when it has none)."""
    path = media_dir(case_dir) / REPORT_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(path), "read")) from None
    try:
        report = MediaReport.model_validate_json(data)
    except (ValueError, MediaError) as exc:
        raise MediaError(CorruptFile(path=str(path), detail=str(exc)[:500])) from None
    return _rebased(report, case_dir)


def _rebased(report: MediaReport, case_dir: Path) -> MediaReport:
    """`report` with its paths moved to `case_dir` (a case folder copied or moved since its
    analysis keeps its record, and the record must still find its files and keyframes)."""
    old = report.root
    if old is None or old == case_dir:
        return report

    def moved(path: Path | None) -> Path | None:
        if path is None or not path.is_relative_to(old):
            return path
        return case_dir / path.relative_to(old)

    rows = [row.model_copy(update={"path": moved(row.path)}) for row in report.rows]
    return report.model_copy(update={"root": case_dir, "rows": rows,
                                     "keyframes": moved(report.keyframes)})


def _keyframes_path(listed: list[_Listed], root: Path | None, store: bool) -> Path:
    """`_evidence/media/keyframes.zip` of a case folder; for any other folder (or files), an
    archive in the workbench home's cache named after what was probed (nothing is written
    into a source)."""
    if store and root is not None:
        folder, name = media_dir(root), KEYFRAMES_FILE
    else:
        probed = str(root) if root is not None else "\n".join(str(i.path) for i in listed)
        digest = hashlib.sha256(probed.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        folder, name = workbench_home() / CACHE_DIR, f"{digest}.zip"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(folder), "create")) from None
    return folder / name


def _open_archive(path: Path | None) -> KeyframeArchive | None:
    if path is None:
        return None
    try:
        return KeyframeArchive(path)
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(path), "write")) from None


def _close_archive(archive: KeyframeArchive) -> None:
    try:
        archive.close()
    except OSError as exc:
        raise MediaError(payload_from_os_error(exc, str(archive.path), "write")) from None


class _Probed(NamedTuple):
    """What the probe of one listed file found, and its keyframe's name in the archive."""

    item: _Listed
    probe: Probe
    thumbnail: str | None = None


def _probed(item: _Listed, outcome: ProbeResult | Failure, timeout: float,
            archive: KeyframeArchive | None) -> _Probed:
    if isinstance(outcome, ProbeResult):
        listed = item._replace(size=outcome.size or item.size,
                               mtime_ns=outcome.mtime_ns or item.mtime_ns)
        thumbnail = None
        if outcome.thumbnail is not None and archive is not None:
            try:
                thumbnail = archive.add(item.relative, outcome.thumbnail)
            except OSError as exc:
                raise MediaError(payload_from_os_error(exc, str(archive.path), "write")) from None
        return _Probed(listed, probe_of(outcome.probe), thumbnail)
    return _Probed(item, Probe(kind=claimed_kind(str(item.path)),
                               problem=_failure(item, outcome, timeout)))


def _rated(rows: list[MediaFile], found: list[_Probed], rates: Mapping[str, Rate],
           patterns: list[DvrPattern]) -> list[MediaFile]:
    """`rows` with the analyst's frame rates applied: a file's own rate (by relative path,
    then name) before its camera's (by lane, then camera name). Raises `MediaError`
    (`ValidationError`) for a key that names no file and no camera."""
    def names(row: MediaFile) -> tuple[str, ...]:
        return row.relative.as_posix(), row.relative.name, row.lane, row.camera

    unknown = sorted(set(rates) - {name for row in rows for name in names(row)})
    if unknown:
        raise MediaError(ValidationError.of(
            [FieldProblem(field=f"rates[{key}]", message="names no file and no camera of the "
                          "footage") for key in unknown],
            actual=", ".join(unknown)[:200]))
    rated = []
    for row, done in zip(rows, found, strict=True):
        key = next((name for name in names(row) if name in rates), None)
        if key is None or done.probe.timing is None:
            rated.append(row)
            continue
        again = _row_of(done.item, done.probe.with_rate(rates[key].fraction), patterns,
                        done.thumbnail)
        rated.append(again.model_copy(update={"recorder": row.recorder}))
    return rated


def _failure(item: _Listed, outcome: Failure, timeout: float) -> ErrorPayload:
    path = str(item.path)
    if isinstance(outcome, Crashed):
        return ProbeCrashed(path=path, exit_code=outcome.exit_code, signal=outcome.signal)
    if isinstance(outcome, TimedOut):
        return Timeout(path=path, seconds=timeout)
    assert isinstance(outcome, Failed)
    log.error("probing %s failed unexpectedly: %s", path, outcome.detail)
    return IoError(path=path, operation="probe", detail=outcome.detail)


def _row_of(item: _Listed, probe: Probe, patterns: list[DvrPattern],
            thumbnail: str | None = None) -> MediaFile:
    timed = recording(item.relative, probe, patterns) if probe.kind != "other" else None
    folder = item.relative.parent.as_posix()
    fields = dict(probe)
    if timed is not None and timed.mismatch is not None and probe.timing is not None:
        fields["timing"] = probe.timing.model_copy(
            update={"problems": [*probe.timing.problems, timed.mismatch]})
    return MediaFile(
        **fields, path=item.path, relative=item.relative, size=item.size,
        mtime_ns=item.mtime_ns, folder=folder, camera=timed.camera if timed else "",
        recorder_start=timed and timed.start, recorder_end=timed and timed.end,
        time_source=timed and timed.source, pattern=timed and timed.pattern,
        name_confidence=timed and timed.confidence, name_zone=timed and timed.zone,
        thumbnail=thumbnail,
    )


__all__ = [
    "DEFAULT_TIMEOUT",
    "KEYFRAMES_FILE",
    "MEDIA_DIR",
    "REPORT_FILE",
    "MediaProgress",
    "ProgressCallback",
    "analyse",
    "is_case_folder",
    "list_files",
    "list_folder",
    "media_dir",
    "probe_pool",
    "save_report",
    "stored_report",
    "worker_start_error",
]

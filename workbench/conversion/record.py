"""Where derived video goes and what it leaves: the case folder's `derived/` (or a given `out`),
names that never replace a file, the derived folder's own manifest and one custody line per
run, made under the case folder's derived run lock (`evidence.run_lock`), which also tells a
killed run's leftovers from anyone else's. Nothing is ever written beside the evidence or
into its manifests."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import blake3

from workbench.errors import (
    ConversionError,
    ErrorPayload,
    IoError,
    PermissionDenied,
    ProbeCrashed,
    Timeout,
    ValidationError,
    payload_from_os_error,
)
from workbench.evidence.custody import DerivedEntry, append_custody, append_entry, read_custody, who
from workbench.evidence.layout import (
    CUSTODY_LOG,
    DERIVED_DIR,
    DERIVED_MANIFEST,
    derived_dir,
    evidence_dir,
)
from workbench.evidence.manifest import merge_list, read_list
from workbench.evidence.run_lock import DERIVED_RUN, RunClaim, claim_run
from workbench.hashing.partial import partial_path
from workbench.hashing.publish import publish_no_clobber
from workbench.hashing.readback import read_back
from workbench.hashing.stream import new_buffers
from workbench.media.decode import Crashed, Failure, TimedOut

CUSTODY_FILE = "custody.jsonl"
"""The custody log written into a given `out` folder when the case folder cannot take it."""
OUTPUT_KEYS = ("path", "subtitles", "sidecar")
"""The keys of a derived custody line's output that name a file."""
ADOPTED = ("an interrupted run had published this file without finishing its record: its "
           "bytes, read back from the disk, are the file made now; kept and recorded")
"""The note of an output a killed run left and this run kept (`DerivedRun.adopts`)."""
MAX_NAME_TRIES = 1000
"""Names tried (`x.mkv`, `x (2).mkv`, ...) before giving up."""


def ffmpeg_version() -> str:
    """The FFmpeg inside PyAV's wheels: its version and library versions."""
    import av

    libraries = ", ".join(f"{name} {'.'.join(map(str, version))}"
                          for name, version in sorted(av.library_versions.items()))
    return f"PyAV {av.__version__}, FFmpeg {av.ffmpeg_version_info} ({libraries})"


def output_root(case_dir: Path, out: Path | None, kind: str) -> tuple[Path, Path]:
    """(the derived root holding the manifest, the folder for this kind of output): the case
    folder's `derived/` and `derived/<kind>/`, or `out` for both. Refuses an `out` inside the
    case folder but outside `derived/` (beside the evidence), and a case folder that cannot be
    written (typed, naming `out` as the way round)."""
    if out is not None:
        root = Path(out).expanduser().absolute()
        inside = root.is_relative_to(case_dir)
        if inside and not root.is_relative_to(derived_dir(case_dir)):
            raise ConversionError(ValidationError(
                field="out", message=f"would put derived files beside the evidence; use a "
                f"folder outside the case folder or inside its {DERIVED_DIR}/",
                actual=str(root)))
        _make(root)
        return root, root
    root = derived_dir(case_dir)
    folder = root / kind
    if not os.access(case_dir, os.W_OK) and not root.is_dir():
        raise ConversionError(PermissionDenied(
            path=str(case_dir), operation="write derived files into (it is read-only: give "
            "`out` to write them elsewhere)"))
    _make(folder)
    return root, folder


def _make(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConversionError(payload_from_os_error(exc, str(folder), "create")) from None
    if not os.access(folder, os.W_OK):
        raise ConversionError(PermissionDenied(path=str(folder), operation="write into"))


def free_name(folder: Path, stem: str, suffix: str, taken: set[Path]) -> Path:
    """`folder/stem.suffix`, or `stem (2).suffix` ... : a name no file has (nor its partial, nor
    one this run already chose)."""
    for number in range(1, MAX_NAME_TRIES + 1):
        name = f"{stem}{suffix}" if number == 1 else f"{stem} ({number}){suffix}"
        path = folder / name
        if path not in taken and not os.path.lexists(path) \
                and not os.path.lexists(partial_path(path)):
            taken.add(path)
            return path
    raise ConversionError(ValidationError(field="out", message="no free file name",
                                          actual=str(folder / stem)))


def publish(partial: Path, final: Path, taken: set[Path]) -> Path:
    """Give the finished `partial` its name, never over a file: when one appeared meanwhile,
    the next free name. Raises OSError."""
    while True:
        try:
            publish_no_clobber(partial, final)
        except FileExistsError:
            final = free_name(final.parent, final.stem, final.suffix, taken)
            continue
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        return final


class DerivedRun:
    """A run making derived files, holding the case folder's derived run lock: what the
    derived root's manifest and the custody logs record, and the claim that names the files
    it may leave unfinished."""

    def __init__(self, case_dir: Path, root: Path, claim: RunClaim) -> None:
        self.case_dir, self.root, self.claim = case_dir, root, claim
        self.recorded = read_list(root / DERIVED_MANIFEST)
        """What the derived manifest lists: path relative to `root` → blake3."""
        self.vouched = _custody_outputs(case_dir, root)
        """Every derived file a custody line names (as `shown_path` names it)."""

    def expect(self, partials: Iterable[Path] = (), temps: Iterable[Path] = ()) -> None:
        """Name in the run record, before they are made, the outputs this run may leave as
        `.partial` (or as an atomic write's temp file). Raises `ConversionError`."""
        self.claim.add([shown_path(path, self.case_dir) for path in partials],
                       [shown_path(path, self.case_dir) for path in temps])

    def orphan(self, path: Path) -> Path | None:
        """`path` when it is a regular file of the derived root that a killed run published
        and did not finish recording: its manifest does not list it, or no custody line
        names it. Else None."""
        if not path.is_relative_to(self.root) or path.is_symlink() or not path.is_file():
            return None
        listed = path.relative_to(self.root).as_posix() in self.recorded
        return None if listed and shown_path(path, self.case_dir) in self.vouched else path

    def adopts(self, orphan: Path | None, digest: str | None) -> bool:
        """Whether `orphan` (see `orphan`) is this run's output of blake3 `digest`: the
        manifest, if it lists it, says `digest`, and its bytes, read back from the disk, are
        `digest`. Kept then, and recorded, instead of a second copy."""
        if orphan is None or digest is None:
            return False
        listed = self.recorded.get(orphan.relative_to(self.root).as_posix())
        return listed in (None, digest) and holds(orphan, digest)


def _custody_outputs(case_dir: Path, root: Path) -> frozenset[str]:
    """The derived files the custody lines name: the case folder's log and `root`'s own (a
    line that cannot be read names none)."""
    named: set[str] = set()
    for log_path in (evidence_dir(case_dir) / CUSTODY_LOG, root / CUSTODY_FILE):
        try:
            entries = list(read_custody(log_path, skip_bad=True))
        except OSError:
            continue
        for entry in entries:
            if isinstance(entry, DerivedEntry):
                named.update(value for output in entry.outputs for key in OUTPUT_KEYS
                             if isinstance(value := output.get(key), str))
    return frozenset(named)


@contextlib.contextmanager
def derived_run(case_dir: Path, root: Path) -> Iterator[DerivedRun]:
    """Hold the derived run lock of the case folder (`evidence.run_lock`; in its evidence
    record, in `root` when that is read-only) while derived files are made under `root`:
    first the partials (and manifest temp files) a dead run is proven to have left are
    removed, noted in the custody log. Raises `ConversionError` (`Conflict`) while another
    run holds the lock."""
    record = evidence_dir(case_dir)
    with contextlib.suppress(OSError):  # where the custody line goes too
        record.mkdir(exist_ok=True)
    where = record if os.access(record, os.W_OK) else root
    manifest = shown_path(root / DERIVED_MANIFEST, case_dir)
    with claim_run(case_dir, DERIVED_RUN, temps=[manifest], where=where) as claim:
        yield DerivedRun(case_dir, root, claim)


def holds(path: Path, digest: str | None) -> bool:
    """Whether `path`, read back from the disk, has the blake3 `digest`."""
    if digest is None:
        return False
    hasher = blake3.blake3()
    try:
        read_back(path, new_buffers(), [hasher.update])
    except OSError:
        return False
    return hasher.hexdigest() == digest


def discard(*paths: Path | None) -> None:
    """Remove partial files (they never hold evidence)."""
    for path in paths:
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def record_run(case_dir: Path, root: Path, outputs: dict[Path, str], entry: dict[str, Any]
               ) -> list[ErrorPayload]:
    """Add `outputs` (path → blake3) to the derived root's own manifest and append the run's
    custody line to the case folder's log (or, when that cannot be written, to `root`'s own);
    returns what could not be written."""
    failures: list[ErrorPayload] = []
    if outputs:
        manifest = root / DERIVED_MANIFEST
        try:
            merge_list(manifest, {path.relative_to(root).as_posix(): digest
                                  for path, digest in outputs.items()})
        except OSError as exc:
            failures.append(payload_from_os_error(exc, str(manifest), "write"))
    line = DerivedEntry(**who(), finished=datetime.now(timezone.utc).isoformat(), **entry)
    try:
        append_custody(case_dir, line)
    except OSError as exc:
        failures.append(payload_from_os_error(exc, str(case_dir), "write the custody log of"))
        try:
            append_entry(root / CUSTODY_FILE, line)
        except OSError as again:
            failures.append(payload_from_os_error(again, str(root), "write"))
    return failures


def worker_failure(path: str, outcome: Failure, timeout: float) -> ErrorPayload:
    """Why a worker gave no result for `path`: it crashed, overran `timeout`, or its task
    failed."""
    if isinstance(outcome, Crashed):
        return ProbeCrashed(path=path, exit_code=outcome.exit_code, signal=outcome.signal)
    if isinstance(outcome, TimedOut):
        return Timeout(path=path, seconds=timeout)
    return IoError(path=path, operation="convert", detail=outcome.detail)


def shown_path(path: Path, case_dir: Path) -> str:
    """`path` relative to the case folder when inside it, else absolute."""
    return path.relative_to(case_dir).as_posix() if path.is_relative_to(case_dir) else str(path)


__all__ = ["ADOPTED", "DerivedRun", "derived_run", "discard", "ffmpeg_version", "free_name",
           "holds", "output_root", "publish", "record_run", "shown_path", "worker_failure"]

"""ASC MHL v2.0 history of a case folder (`ascmhl/`): one generation per copy or audit.

A generation file, once written, is never changed: a fully written temp file is published
under its final name without clobbering, which fails instead of overwriting. The chain
(`ascmhl_chain.xml`) is rewritten atomically after each new generation, and an existing
chain is checked (every listed file still has its C4 ID) before anything is added to it; a
generation a dead run left out of the chain is settled first (`mhl_repair`).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import ParseError

from filelock import FileLock
from pydantic import ValidationError as PydanticValidationError

from workbench.atomic import write_atomic, write_temp
from workbench.cases import CaseData
from workbench.errors import (
    Conflict,
    CorruptFile,
    EvidenceError,
    HashMismatch,
    PathNotFound,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.evidence.layout import EVIDENCE_DIR, MHL_LOCK, evidence_dir
from workbench.evidence.mhl_format.model import (
    CHAIN_FILE,
    MHL_DIR,
    MhlAction,
    MhlEntry,
    MhlGeneration,
    MhlProcess,
)
from workbench.evidence.mhl_format.xml_io import chain_xml, hashlist_chunks, parse_chain
from workbench.evidence.mhl_repair import clear_pending, note_pending, settle_unchained
from workbench.evidence.provenance import identity
from workbench.hashing import platform
from workbench.hashing.c4 import c4_of_file, c4_of_sha512
from workbench.hashing.publish import publish_no_clobber

__all__ = [
    "CHAIN_FILE",
    "DEFAULT_IGNORE",
    "MHL_DIR",
    "MhlAction",
    "MhlEntry",
    "MhlGeneration",
    "MhlProcess",
    "append_generation",
    "read_chain",
]

DEFAULT_IGNORE: tuple[str, ...] = (
    ".DS_Store", MHL_DIR, f"{MHL_DIR}/", EVIDENCE_DIR, f"{EVIDENCE_DIR}/"
)
"""Patterns every generation ignores: the reference tool's defaults and the evidence record."""


def append_generation(
    case_dir: Path,
    entries: Iterable[MhlEntry],
    *,
    process: MhlProcess,
    case: CaseData,
    started: datetime,
    finished: datetime,
    ignore: Sequence[str] = (),
    metadata: Callable[[], bytes] = bytes,
) -> Path | None:
    """Write the next generation file and update the chain; returns the generation file.

    The existing chain is checked where it costs the same however long the history is: the
    last generation must still have its C4 ID (the whole chain is checked by an audit).
    `metadata()`, called with the history locked, gives the generation's top-level
    `<metadata>` element (the digests of the case folder's manifests and custody log).

    Returns None (and writes nothing) when `entries` is empty. `entries` is read once, as the
    file is written (a generator keeps a generation of 200,000 files out of memory). An entry
    with no digest ASC
    MHL knows (xxh128, md5, sha1, xxh3, xxh64, c4) keeps its digests in `<metadata>` only,
    where the reference tool cannot check them: give every entry an xxh128 digest.
    Raises `EvidenceError`: `HashMismatch` / `PathNotFound` / `CorruptFile` when the
    existing history was altered, `Conflict` if the generation file already exists, or the
    OS error's payload.
    """
    found = iter(entries)
    first = next(found, None)
    if first is None:
        return None
    mhl_dir = case_dir / MHL_DIR
    try:
        mhl_dir.mkdir(exist_ok=True)  # the case folder itself must exist
        evidence_dir(case_dir).mkdir(exist_ok=True)
        with FileLock(evidence_dir(case_dir) / MHL_LOCK):
            chain = settle_unchained(case_dir, read_chain(case_dir, check="last"))
            number = max((link.number for link in chain), default=0) + 1
            _user, host, version = identity()
            stamp = _utc(finished).strftime("%Y-%m-%d_%H%M%SZ")
            path = mhl_dir / f"{number:04d}_{_short(case_dir.name)}_{stamp}.mhl"
            chunks = hashlist_chunks(
                itertools.chain([first], found),
                process=process,
                created=finished,
                hostname=host,
                tool_version=version,
                ignore=list(dict.fromkeys([*DEFAULT_IGNORE, *ignore])),
                author=case.technician,
                role=f"badge {case.badge_number}" if case.badge_number else None,
                location=case.location,
                comment=_comment(case, started, finished),
                metadata=metadata(),
            )
            c4 = _write_new(path, chunks, before_publish=lambda c4: note_pending(
                case_dir, MhlGeneration(number=number, name=path.name, c4=c4)))
            link = MhlGeneration(number=number, name=path.name, c4=c4)
            write_atomic(mhl_dir / CHAIN_FILE, chain_xml([*chain, link]))
            clear_pending(case_dir)
    except OSError as exc:
        raise EvidenceError(payload_from_os_error(exc, operation="write")) from exc
    return path


def read_chain(case_dir: Path, *, check: bool | Literal["last"] = False) -> list[MhlGeneration]:
    """The generations of a case folder's chain, oldest first (empty if there is none).

    With `check`, every generation file is re-hashed and the first one that is missing or
    altered raises `EvidenceError` (`PathNotFound` / `HashMismatch`); without it, each
    link's `intact` says whether its file still matches; with `"last"`, only the last link
    is re-hashed (strictly) and the others are not read (`intact` None).
    """
    chain_path = case_dir / MHL_DIR / CHAIN_FILE
    try:
        data = chain_path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise EvidenceError(payload_from_os_error(exc, operation="read")) from exc
    try:
        links = parse_chain(data)
    except (ParseError, ValueError, WorkbenchError, PydanticValidationError) as exc:
        raise EvidenceError(CorruptFile(path=str(chain_path), detail=str(exc))) from exc
    if check == "last":
        return [*links[:-1], *(_checked(case_dir / MHL_DIR, link, strict=True)
                               for link in links[-1:])]
    return [_checked(case_dir / MHL_DIR, link, strict=bool(check)) for link in links]


def _checked(mhl_dir: Path, link: MhlGeneration, *, strict: bool) -> MhlGeneration:
    path = mhl_dir / link.name
    try:
        actual: str | None = c4_of_file(path)
    except FileNotFoundError:
        if strict:
            raise EvidenceError(PathNotFound(path=str(path))) from None
        actual = None
    except OSError as exc:
        raise EvidenceError(payload_from_os_error(exc, operation="read")) from exc
    if strict and actual != link.c4:
        raise EvidenceError(
            HashMismatch(file=str(path), algorithm="c4", expected=link.c4, actual=str(actual))
        )
    return link.model_copy(update={"intact": actual == link.c4})


def _comment(case: CaseData, started: datetime, finished: datetime) -> str:
    parts = [f"Occurrence {case.occurrence}"]
    if case.business:
        parts.append(case.business)
    parts.append(f"run {_utc(started):%Y-%m-%dT%H:%M:%SZ} to {_utc(finished):%Y-%m-%dT%H:%M:%SZ}")
    return "; ".join(parts)


def _short(folder_name: str, limit: int = 200) -> str:
    """The folder name cut to `limit` UTF-8 bytes, so a generation's name stays under 255."""
    return folder_name.encode()[:limit].decode(errors="ignore")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _write_new(path: Path, chunks: Iterable[bytes],
               before_publish: Callable[[str], None] = lambda c4: None) -> str:
    """Publish `chunks` at `path`, whole, durable and read-only, refusing to replace anything;
    returns the C4 ID of what was written. `before_publish(c4)` runs once the bytes are durable
    and before they get their name (the note that lets a later run chain them if this one
    dies in between)."""
    sha512 = hashlib.sha512()
    tmp = write_temp(path, _hashed(chunks, sha512), 0o444)  # read-only from birth
    try:
        before_publish(c4_of_sha512(sha512.digest()))
        publish_no_clobber(tmp, path)
    except FileExistsError:
        raise _exists(path) from None
    finally:
        tmp.unlink(missing_ok=True)
    platform.SYSTEM.fsync_dir(path.parent)
    return c4_of_sha512(sha512.digest())


def _hashed(chunks: Iterable[bytes], sha512: hashlib._Hash) -> Iterator[bytes]:
    for chunk in chunks:
        sha512.update(chunk)
        yield chunk


def _exists(path: Path) -> EvidenceError:
    return EvidenceError(Conflict(path=str(path), detail="a generation is never overwritten"))

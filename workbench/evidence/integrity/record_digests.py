"""The digests of a case folder's own record at one moment: each manifest's SHA-256 and the
custody log's (with its line count). Every MHL generation and every copy's run report names
them, so an audit can tell a manifest or the log changed behind the workbench's back: a
manifest must still have the digest the latest copy's generation names, and the custody log,
appended to since, must still begin with the lines it had then."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import RecordDisagrees
from workbench.evidence.layout import CUSTODY_LOG, EVIDENCE_DIR, evidence_dir

MANIFEST_GLOB = "manifest.*"
"""The manifests of the evidence record (temp files start with a dot and never match)."""
_CHUNK = 1 << 20


@dataclass(frozen=True)
class RecordDigest:
    """One record file's SHA-256 at a moment (`lines`: how many lines it had, for a log)."""

    file: str
    """Path relative to the case folder, e.g. `_evidence/manifest.blake3`."""
    sha256: str
    lines: int | None = None

    def as_json(self) -> dict[str, str | int]:
        return {"file": self.file, "sha256": self.sha256,
                **({"lines": self.lines} if self.lines is not None else {})}


def record_digests(case_dir: Path) -> list[RecordDigest]:
    """Each manifest's digest and the custody log's (with its lines), as they are now.
    Raises OSError."""
    folder = evidence_dir(case_dir)
    found = [RecordDigest(f"{EVIDENCE_DIR}/{path.name}", _digest(path)[0])
             for path in sorted(folder.glob(MANIFEST_GLOB)) if path.is_file()]
    log = folder / CUSTODY_LOG
    if log.is_file():
        digest, lines = _digest(log)
        found.append(RecordDigest(f"{EVIDENCE_DIR}/{CUSTODY_LOG}", digest, lines))
    return found


def _digest(path: Path, lines: int | None = None) -> tuple[str, int]:
    """SHA-256 of a file (or of its first `lines` lines) and how many lines that covers."""
    sha = hashlib.sha256()
    count = 0
    with path.open("rb") as handle:
        if lines is None:
            while chunk := handle.read(_CHUNK):
                sha.update(chunk)
                count += chunk.count(b"\n")
        else:
            while count < lines and (line := handle.readline(_CHUNK)):
                sha.update(line)
                count += line.endswith(b"\n")
    return sha.hexdigest(), count


def disagreements(case_dir: Path, named: Iterable[RecordDigest], by: str, *,
                  manifests: bool = True) -> Iterator[RecordDisagrees]:
    """Where the record now differs from the digests `by` (a generation) names: a file
    changed or removed, the custody log's first lines changed, and (with `manifests`) a
    manifest `by` does not name."""
    folder = evidence_dir(case_dir)
    listed = set()
    for entry in named:
        listed.add(entry.file)
        path = case_dir / entry.file
        try:
            digest, _lines = _digest(path, entry.lines)
        except FileNotFoundError:
            yield RecordDisagrees(record=entry.file, other=by, detail="it is missing")
            continue
        if digest != entry.sha256:
            what = (f"its first {entry.lines} lines were changed" if entry.lines is not None
                    else "it was changed since")
            yield RecordDisagrees(record=entry.file, other=by, detail=what)
    for path in sorted(folder.glob(MANIFEST_GLOB)) if manifests else ():
        name = f"{EVIDENCE_DIR}/{path.name}"
        if name not in listed:
            yield RecordDisagrees(record=name, other=by, detail="it is not named there")


_RECORD = re.compile(rb'<wb:record file="([^"<>]*)" sha256="([0-9a-f]{64})"(?: lines="(\d+)")?/>')


def render_record_digests(digests: Iterable[RecordDigest]) -> bytes:
    """The digests as a generation's top-level `<metadata>` (file names are ASCII)."""
    lines = b"".join(
        b'    <wb:record file="%s" sha256="%s"%s/>\n' % (
            entry.file.encode(), entry.sha256.encode(),
            b' lines="%d"' % entry.lines if entry.lines is not None else b"")
        for entry in digests
    )
    return b"  <metadata>\n" + lines + b"  </metadata>\n" if lines else b""


def parse_record_digests(tail: bytes) -> list[RecordDigest]:
    """The digests a generation's `<metadata>` names (from the end of its bytes)."""
    return [RecordDigest(file.decode(), sha.decode(), int(lines) if lines else None)
            for file, sha, lines in _RECORD.findall(tail)]

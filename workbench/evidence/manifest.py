"""Checksum manifests in the coreutils / b3sum format: `<hex>  <path>` per line.

A path holding a backslash or a newline is escaped (`\\\\`, `\\n`) and its line starts
with a backslash, exactly as `sha256sum` and `b3sum` write and `--check` reads them.
Paths are relative to the case folder; names that are not UTF-8 round-trip as bytes.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from workbench.atomic import write_atomic
from workbench.errors import CorruptFile, EvidenceError, payload_from_os_error
from workbench.evidence.layout import manifest_path
from workbench.foreign.text import MAX_LINE
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.digests import new_digest

_LINE = re.compile(rb"^(\\?)([0-9a-fA-F]+) [ *](.*)$", re.DOTALL)
_UNESCAPE = re.compile(rb"\\(.)", re.DOTALL)


def format_line(hexdigest: str, path: str) -> bytes:
    """One manifest line (with its newline) for `path`."""
    name = os.fsencode(path)
    if b"\\" in name or b"\n" in name:
        escaped = name.replace(b"\\", b"\\\\").replace(b"\n", b"\\n")
        return b"\\" + hexdigest.encode() + b"  " + escaped + b"\n"
    return hexdigest.encode() + b"  " + name + b"\n"


def parse(data: bytes, source: Path, algorithm: HashAlgorithm | None = None) -> dict[str, str]:
    """Path → hex digest from a manifest's bytes; a malformed line is a `CorruptFile`."""
    return parse_lines(data.split(b"\n"), source, algorithm)


@functools.cache
def hex_length(algorithm: HashAlgorithm) -> int:
    """How many hex digits a digest of `algorithm` has."""
    return len(new_digest(algorithm).hexdigest())


def parse_lines(lines: Iterable[bytes], source: Path, algorithm: HashAlgorithm | None = None
                ) -> dict[str, str]:
    """Path → hex digest from a manifest's lines (each with or without its newline), read
    one at a time: a 200,000-line manifest is never in memory twice. With `algorithm`, a
    digest of another length is a `CorruptFile`; a path listed twice always is (as
    `b3sum --check` fails such a list, a line appended later never silently wins)."""
    entries: dict[str, str] = {}
    for number, key, hexdigest in _entries(lines, source, algorithm):
        if key in entries:
            raise _listed_twice(source, number, key)
        entries[key] = hexdigest
    return entries


def _entries(lines: Iterable[bytes], source: Path, algorithm: HashAlgorithm | None
             ) -> Iterator[tuple[int, str, str]]:
    """(line number, path, lower-case hex digest) of each line; a malformed one is a
    `CorruptFile`."""
    length = hex_length(algorithm) if algorithm is not None else None
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith(b"\n") else raw
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            detail = f"line {number} is not `<hex>  <path>`"
            raise EvidenceError(CorruptFile(path=str(source), detail=detail))
        escaped, hexdigest, name = match.groups()
        if length is not None and len(hexdigest) != length:
            detail = f"line {number} has a digest of {len(hexdigest)} hex digits, not {length}"
            raise EvidenceError(CorruptFile(path=str(source), detail=detail))
        if escaped:
            name = _UNESCAPE.sub(lambda m: b"\n" if m.group(1) == b"n" else m.group(1), name)
        yield number, os.fsdecode(name), hexdigest.decode().lower()


def _listed_twice(source: Path, number: int, key: str) -> EvidenceError:
    detail = f"line {number} lists {key!r} a second time"
    return EvidenceError(CorruptFile(path=str(source), detail=detail))


def read_names(case_dir: Path, algorithm: HashAlgorithm) -> set[str]:
    """The paths the case folder's manifest for `algorithm` lists (checked as `read_manifest`
    checks them, digests not kept); empty when there is none."""
    path = manifest_path(case_dir, algorithm)
    names: set[str] = set()
    try:
        with path.open("rb") as handle:
            for number, key, _digest in _entries(_bounded(handle, path), path, algorithm):
                if key in names:
                    raise _listed_twice(path, number, key)
                names.add(key)
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise EvidenceError(payload_from_os_error(exc, str(path), "read")) from exc
    return names


def read_manifest(case_dir: Path, algorithm: HashAlgorithm) -> dict[str, str]:
    """The case folder's manifest for `algorithm`; empty when there is none."""
    return read_list(manifest_path(case_dir, algorithm), algorithm)


def read_list(path: Path, algorithm: HashAlgorithm | None = None) -> dict[str, str]:
    """Path → hex digest of the manifest at `path` (of `algorithm`'s digest length, when
    given); empty when there is none."""
    try:
        with path.open("rb") as handle:
            return parse_lines(_bounded(handle, path), path, algorithm)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise EvidenceError(payload_from_os_error(exc, str(path), "read")) from exc


def _bounded(handle: BinaryIO, path: Path) -> Iterator[bytes]:
    """The lines of a manifest, each read at most `MAX_LINE` bytes at a time: a longer line
    (no path is that long) is a `CorruptFile` before it is ever held whole."""
    number = 0
    while line := handle.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            detail = f"line {number} is longer than {MAX_LINE:,} bytes"
            raise EvidenceError(CorruptFile(path=str(path), detail=detail))
        yield line


def merge_manifest(case_dir: Path, algorithm: HashAlgorithm, entries: Mapping[str, str]) -> Path:
    """Add or update `entries` (path → hex) in the manifest, keeping every other line.

    Written atomically, sorted by path; raises OSError for the caller to type.
    """
    return merge_list(manifest_path(case_dir, algorithm), entries, algorithm)


def merge_list(path: Path, entries: Mapping[str, str], algorithm: HashAlgorithm | None = None
               ) -> Path:
    """`merge_manifest` for the manifest at `path` (a derived folder's own, ...)."""
    merged = read_list(path, algorithm)
    merged.update(entries)
    write_atomic(path, (format_line(merged[name], name) for name in sorted(merged)))
    return path

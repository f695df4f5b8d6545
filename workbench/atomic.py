"""Atomic file writes: a temp file beside the target, fsync, rename, fsync the folder."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable (on Windows, where a folder cannot be
    opened as a file to flush, NTFS writes the rename to its journal on its own)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


TEMP_SUFFIX = ".tmp"
"""Suffix of the temp file `write_temp` makes (named `.<name>.<random>.tmp`)."""


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def temp_files(path: Path) -> list[Path]:
    """The temp files `write_temp` made beside `path` that are still there (a killed writer
    leaves them); none when its folder cannot be listed."""
    prefix = _temp_prefix(path)
    try:
        found = sorted(path.parent.iterdir())
    except OSError:
        return []
    return [temp for temp in found
            if temp.name.startswith(prefix) and temp.name.endswith(TEMP_SUFFIX)]


def write_temp(path: Path, data: bytes | Iterable[bytes], mode: int) -> Path:
    """`data` (bytes, or chunks written as they come) in a durable temp file beside `path`
    (same folder, so it can be renamed or linked into place); the caller publishes it.
    Raises OSError, leaving no temp file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    tmp = Path(name)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows before Python 3.13: only the read-only flag, by name
            tmp.chmod(mode)
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes | Iterable[bytes], mode: int = 0o644) -> None:
    """Replace `path` with `data` (bytes or chunks) so that readers see the old file or the
    new one, never half.

    The file gets `mode` (readable by colleagues by default, unlike mkstemp's 0600).
    Raises OSError (the caller maps it to a typed error); on any failure the temp file is
    removed and the old file is untouched.
    """
    tmp = write_temp(path, data, mode)
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def append_line(path: Path, line: bytes) -> None:
    """Append one record (`line` without its newline) to a line log and make it durable.

    The log is never rewritten. A last line torn by a crash is closed with a newline first,
    so the torn record stays one unreadable line and the new one stays whole. Raises OSError.
    """
    with path.open("a+b") as handle:  # binary on every OS; every write goes to the end
        size = handle.seek(0, os.SEEK_END)
        torn = size > 0 and handle.seek(size - 1) >= 0 and handle.read(1) != b"\n"
        handle.write((b"\n" if torn else b"") + line + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    if size == 0:
        fsync_dir(path.parent)


def last_line(path: Path) -> bytes | None:
    """The last line of a line log (without its newline), read from its end; None if empty."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        end = handle.seek(0, os.SEEK_END)
        if end == 0:
            return None
        tail = b""
        position = end
        while position > 0:
            step = min(_TAIL_BYTES, position)
            position -= step
            handle.seek(position)
            tail = handle.read(step) + tail
            cut = tail.rfind(b"\n", 0, len(tail) - 1)
            if cut >= 0:
                return tail[cut + 1:].removesuffix(b"\n")
        return tail.removesuffix(b"\n")


_TAIL_BYTES = 64 << 10
"""Bytes read at a time from the end of a line log to find its last line."""


def pretty_json(document: object) -> str:
    """The committed/stored text form of a JSON document: indented, sorted, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

"""A record's path made safe: relative, inside the folder it describes, or refused.

A record is untrusted input: a path that is absolute, climbs out with `..`, holds a NUL or
is empty is refused as an `UnsafeRecordPath` and never joined to the folder, let alone read.
"""

from __future__ import annotations

import re

from workbench.errors import UnsafeRecordPath

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def safe_name(
    name: str, record: str, line: int | None = None, *, windows: bool = False
) -> str | UnsafeRecordPath:
    """`name` as a POSIX path relative to the record's folder, or why it is refused.

    A leading `./` and empty or `.` components are dropped (`hashdeep -l` writes `./a/b`).
    With `windows`, a backslash separates folders too (records written on Windows).
    """
    reason = _unsafe(name) or ("absolute" if windows and name.startswith("\\\\") else None)
    parts = [part for part in re.split(r"[\\/]" if windows else "/", name) if part not in ("", ".")]
    if reason is None and ".." in parts:
        reason = "outside the folder (it climbs with '..')"
    if reason is None and not parts:
        reason = "empty"
    if reason is not None:
        return UnsafeRecordPath(record=record, path=printable(name), reason=reason, line=line)
    return "/".join(parts)


def _unsafe(name: str) -> str | None:
    if not name:
        return "empty"
    if "\x00" in name:
        return "not a path (it holds a NUL character)"
    if name.startswith("/") or _DRIVE.match(name):
        return "absolute"
    return None


def printable(name: str) -> str:
    """`name` with undecodable bytes (lone surrogates) written as escapes, so it can be shown
    and serialised."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")

"""What each verified file of a case folder was when it was last verified: device, inode,
size, modification and status-change times (`_evidence/verified-identity.jsonl`).

A re-run may skip a file unread only when the record lists it as verified and it is still
that very file; any change (a byte rewritten with the mtime put back still moves the ctime)
sends it back to a cold re-read. The file is the record's last write of a run, so a run
killed before it leaves the files it verified to be re-verified, never trusted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from workbench.atomic import write_atomic
from workbench.errors import EvidenceError, payload_from_os_error
from workbench.evidence.layout import IDENTITY_FILE, evidence_dir

Identity = tuple[int, int, int, int, int]
"""A file's device, inode, size, mtime (ns) and ctime (ns)."""


def identity_of(info: os.stat_result) -> Identity:
    """The identity an `lstat` (or `fstat`) gives."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_identities(case_dir: Path) -> dict[str, Identity]:
    """Relative path → identity when last verified; empty when there is no such record, and
    entries that do not read as one are left out (their files are then re-read)."""
    path = evidence_dir(case_dir) / IDENTITY_FILE
    found: dict[str, Identity] = {}
    try:
        with path.open("rb") as handle:
            for line in handle:
                entry = _entry(line)
                if entry is not None:
                    found[entry[0]] = entry[1]
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise EvidenceError(payload_from_os_error(exc, str(path), "read")) from exc
    return found


def _entry(line: bytes) -> tuple[str, Identity] | None:
    try:
        name, *numbers = json.loads(line)
    except ValueError:
        return None
    if not isinstance(name, str) or len(numbers) != 5 or not all(
            type(number) is int for number in numbers):
        return None
    return name, (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])


def merge_identities(case_dir: Path, entries: Mapping[str, Identity]) -> None:
    """Add or update `entries`, keeping the others; written atomically. Raises OSError."""
    merged = read_identities(case_dir)
    merged.update(entries)
    write_atomic(evidence_dir(case_dir) / IDENTITY_FILE, (
        # ASCII JSON: a name that is not UTF-8 keeps its bytes as escaped surrogates
        json.dumps([name, *merged[name]]).encode() + b"\n" for name in sorted(merged)
    ))

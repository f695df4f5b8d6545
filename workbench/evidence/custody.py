"""The case folder's custody log: one JSON object per line, appended, never rewritten.

Each line names the SHA-256 of the line before it (`previous_sha256`, empty on the first), so
an edited, removed or inserted line breaks the chain at a line a check can name. Lines are
ASCII JSON: a name that is not UTF-8 keeps its bytes, as escaped surrogates.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock

from workbench.atomic import append_line, last_line
from workbench.evidence.layout import CUSTODY_LOCK, CUSTODY_LOG, evidence_dir
from workbench.evidence.provenance import identity

PREVIOUS = "previous_sha256"
"""The field of each custody line holding the SHA-256 (hex) of the line before it."""


def append_custody(case_dir: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line, chained to the last one, and make it durable. Raises OSError."""
    folder = evidence_dir(case_dir)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / CUSTODY_LOG
    with FileLock(folder / CUSTODY_LOCK):
        previous = last_line(log)
        chained = {**entry, PREVIOUS: "" if previous is None else line_sha256(previous)}
        append_line(log, json.dumps(chained).encode())


def line_sha256(line: bytes) -> str:
    """The hash of a custody line (without its newline) that the next line names."""
    return hashlib.sha256(line).hexdigest()


def note_repair(case_dir: Path, event: str, outcome: str, **details: Any) -> None:
    """Record in the custody log that this tool cleaned up after an interrupted run of its own:
    what it found, what it did (`outcome`, a sentence) and who did it."""
    user, host, version = identity()
    now = datetime.now(timezone.utc).isoformat()
    append_custody(case_dir, {
        "event": event, "user": user, "host": host, "tool_version": version,
        "started": now, "finished": now, "outcome": outcome, **details,
    })

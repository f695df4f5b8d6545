"""The case folder's custody log: one JSON object per line, appended, never rewritten."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workbench.atomic import append_line
from workbench.evidence.layout import CUSTODY_LOG, evidence_dir
from workbench.evidence.provenance import identity


def append_custody(case_dir: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line to the custody log and make it durable. Raises OSError."""
    folder = evidence_dir(case_dir)
    folder.mkdir(parents=True, exist_ok=True)
    append_line(folder / CUSTODY_LOG, json.dumps(entry, ensure_ascii=False).encode())


def note_repair(case_dir: Path, event: str, outcome: str, **details: Any) -> None:
    """Record in the custody log that this tool cleaned up after an interrupted run of its own:
    what it found, what it did (`outcome`, a sentence) and who did it."""
    user, host, version = identity()
    now = datetime.now(timezone.utc).isoformat()
    append_custody(case_dir, {
        "event": event, "user": user, "host": host, "tool_version": version,
        "started": now, "finished": now, "outcome": outcome, **details,
    })

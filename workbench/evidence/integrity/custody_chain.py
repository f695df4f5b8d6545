"""The custody log's chain checked: each line must name the hash of the line before it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from workbench.errors import RecordDisagrees
from workbench.evidence.custody import PREVIOUS, line_sha256
from workbench.evidence.layout import CUSTODY_LOG, EVIDENCE_DIR, evidence_dir


def chain_problems(case_dir: Path) -> Iterator[RecordDisagrees]:
    """Every custody line whose chain link does not hold: not a JSON object, or naming another
    hash than that of the line before it (lines from before the chain existed, with no link,
    are accepted only before the first linked line)."""
    log = evidence_dir(case_dir) / CUSTODY_LOG
    name = f"{EVIDENCE_DIR}/{CUSTODY_LOG}"
    try:
        handle = log.open("rb")
    except FileNotFoundError:
        return
    with handle:
        previous: bytes | None = None
        chained = False
        for number, raw in enumerate(handle, start=1):
            line = raw.removesuffix(b"\n")
            link = _link(line)
            if link is None and chained:
                yield RecordDisagrees(record=name, line=number, other="the custody chain",
                                      detail="the line is not a chained JSON object")
            elif link is not None:
                expected = "" if previous is None else line_sha256(previous)
                if link != expected:
                    yield RecordDisagrees(
                        record=name, line=number, other=f"line {number - 1}" if number > 1
                        else "the start of the log", detail="it names another hash of the line "
                        "before it: a line was edited, removed or inserted")
                chained = True
            previous = line


def _link(line: bytes) -> str | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    link = entry.get(PREVIOUS) if isinstance(entry, dict) else None
    return link if isinstance(link, str) else None

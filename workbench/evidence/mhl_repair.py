"""Completing an ASC MHL history that a run left unfinished when it died.

A generation is published in three durable steps: its link (name and C4 ID) is noted in
`_evidence/mhl-pending.json`, the generation file is published, the chain is rewritten. A
run killed between the last two leaves a generation the chain does not list, which would
block every later append. Under the history's lock (so no live writer is involved):

- the newest stray generation whose bytes have the C4 ID noted before it was published is
  completed into the chain;
- a newest stray that cannot be proven so (no note, another C4 ID) is moved aside into
  `_evidence/orphaned-mhl/`;
- anything else (several strays, a gap in the numbers) is not what a crash leaves, and
  still refuses the append (`CorruptFile`).

Each repair is written to the custody log and logged as a warning, never done silently.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from workbench.atomic import fsync_dir, write_atomic
from workbench.errors import Conflict, CorruptFile, EvidenceError, WorkbenchError
from workbench.evidence.custody import RepairEntry, note_repair
from workbench.evidence.layout import evidence_dir
from workbench.evidence.mhl_format.model import CHAIN_FILE, MHL_DIR, MhlGeneration
from workbench.evidence.mhl_format.xml_io import chain_xml
from workbench.hashing.c4 import c4_id
from workbench.hashing.publish import publish_no_clobber

log = logging.getLogger(__name__)

PENDING_FILE = "mhl-pending.json"
"""In the evidence record: the link of the generation being published, until it is chained."""
ORPHANS_DIR = "orphaned-mhl"
"""In the evidence record: stray generations moved out of the history, kept for inspection."""


def note_pending(case_dir: Path, link: MhlGeneration) -> None:
    """Durably note the link of a generation about to be published. Raises OSError."""
    write_atomic(evidence_dir(case_dir) / PENDING_FILE, link.model_dump_json().encode())


def clear_pending(case_dir: Path) -> None:
    """Forget the note once its generation is in the chain. Raises OSError."""
    (evidence_dir(case_dir) / PENDING_FILE).unlink(missing_ok=True)


def settle_unchained(case_dir: Path, chain: list[MhlGeneration]) -> list[MhlGeneration]:
    """The chain, with a crash's stray generation completed into it or moved aside.

    Call with the history locked and `chain` checked. Raises `EvidenceError`
    (`CorruptFile`) for stray generations no crash of this tool leaves, or OSError.
    """
    mhl_dir = case_dir / MHL_DIR
    listed = {link.name for link in chain}
    stray = sorted(path for path in mhl_dir.glob("*.mhl") if path.name not in listed)
    pending = _pending(case_dir)
    expected = max((link.number for link in chain), default=0) + 1
    if not stray:
        if pending is not None:
            clear_pending(case_dir)  # its generation is chained, or was never published
        return chain
    if len(stray) > 1 or _number(stray[0].name) != expected:
        raise EvidenceError(CorruptFile(
            path=str(mhl_dir / CHAIN_FILE),
            detail=f"generation file(s) not listed in the chain: "
                   f"{', '.join(path.name for path in stray)}",
        ))
    orphan = stray[0]
    if pending is not None and pending.name == orphan.name and pending.number == expected:
        if c4_id(orphan.read_bytes()) == pending.c4:
            return _complete(case_dir, chain, pending)
        reason = "its C4 ID differs from the one noted before it was published"
    else:
        reason = "no note says this tool published it"
    _move_aside(case_dir, orphan, reason)
    return chain


def _complete(case_dir: Path, chain: list[MhlGeneration], link: MhlGeneration
              ) -> list[MhlGeneration]:
    completed = [*chain, link]
    write_atomic(case_dir / MHL_DIR / CHAIN_FILE, chain_xml(completed))
    clear_pending(case_dir)
    outcome = (f"generation {link.name}, published by a run that stopped before chaining it, "
               "was completed into the ASC MHL chain (its C4 ID matches the note)")
    log.warning("%s: %s", case_dir, outcome)
    note_repair(case_dir, RepairEntry, outcome, file=f"{MHL_DIR}/{link.name}", c4=link.c4)
    return completed


def _move_aside(case_dir: Path, orphan: Path, reason: str) -> None:
    folder = evidence_dir(case_dir) / ORPHANS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / orphan.name
    for copy in range(1, 1000):
        try:
            publish_no_clobber(orphan, target)
            break
        except FileExistsError:
            target = folder / f"{orphan.stem}.{copy}{orphan.suffix}"
    else:
        raise EvidenceError(Conflict(path=str(target), detail="too many orphans kept"))
    fsync_dir(folder)
    fsync_dir(orphan.parent)
    clear_pending(case_dir)
    kept = target.relative_to(case_dir).as_posix()
    outcome = (f"generation {orphan.name} was not in the ASC MHL chain ({reason}) and was "
               f"moved aside to {kept}")
    log.warning("%s: %s", case_dir, outcome)
    note_repair(case_dir, RepairEntry, outcome, file=f"{MHL_DIR}/{orphan.name}", kept=kept)


def _pending(case_dir: Path) -> MhlGeneration | None:
    try:
        return MhlGeneration.model_validate_json((evidence_dir(case_dir) / PENDING_FILE)
                                                 .read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, WorkbenchError, PydanticValidationError):
        log.warning("unreadable %s in %s: ignored", PENDING_FILE, case_dir, exc_info=True)
        return None


def _number(name: str) -> int | None:
    head = name.split("_", 1)[0]
    with contextlib.suppress(ValueError):
        return int(head)
    return None

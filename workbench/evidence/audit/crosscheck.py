"""The case folder's records checked against each other (#19: a record that proves itself).

Besides the files against `manifest.blake3`, an audit of the workbench's own record checks:
the custody log's chain; that every manifest lists the same files; that the manifests and
the custody log are as the latest copy's ASC MHL generation names them; that every
generation of the history is intact and chained; that every file the history records is still
in the manifests, and still has the xxh128 the history gives it. Each disagreement is a
typed problem naming the record (and the line, where it has lines).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from workbench.errors import ErrorPayload, RecordDisagrees, WorkbenchError
from workbench.evidence.audit.files import AuditFiles
from workbench.evidence.integrity import chain_problems, disagreements
from workbench.evidence.integrity.record_digests import MANIFEST_GLOB, parse_record_digests
from workbench.evidence.layout import EVIDENCE_DIR, evidence_dir
from workbench.evidence.manifest import read_names
from workbench.evidence.mhl_format.model import MHL_DIR
from workbench.foreign import Applied, apply_to
from workbench.foreign.ascmhl import has_history, read_history
from workbench.hashing.algorithms import ALGORITHMS
from workbench.shown_names import shown

_HEAD = 4096
"""Bytes at the start of a generation that hold its `<process>`."""
_TAIL = 64 << 10
"""Bytes at the end of a generation that hold its `<metadata>` (the record's digests)."""


class Records(NamedTuple):
    """What the records say of each other, checked before (or while) the files are read."""

    problems: list[ErrorPayload]
    history: Applied | None
    """The ASC MHL history applied to the folder, when it has one."""


def check_records(folder: Path, blake3: Mapping[str, str]) -> Records:
    """Every disagreement among the folder's records (`blake3` is its manifest), and its
    history to hold the files against once they are read (`cross_check`)."""
    problems: list[ErrorPayload] = list(chain_problems(folder))
    problems += _manifests_agree(folder, blake3)
    problems += _as_last_copy_named(folder)
    if not has_history(folder):
        return Records(problems, None)
    found = read_history(folder)
    return Records([*problems, *found.problems], apply_to(found, folder))


def cross_check(records: Records, files: AuditFiles) -> list[ErrorPayload]:
    """The records' disagreements, and each between the history and the files read (`files`:
    every file present or listed in the manifest, and what was read)."""
    if records.history is None:
        return records.problems
    return [*records.problems, *_history_agrees(records.history, files)]


def _manifests_agree(folder: Path, blake3: Mapping[str, str]) -> Iterator[ErrorPayload]:
    """Each other manifest lists exactly the files `manifest.blake3` lists."""
    for path in sorted(evidence_dir(folder).glob(MANIFEST_GLOB)):
        algorithm = path.suffix.removeprefix(".")
        if algorithm == "blake3" or algorithm not in ALGORITHMS:
            continue
        name = f"{EVIDENCE_DIR}/{path.name}"
        try:
            listed = read_names(folder, algorithm)
        except WorkbenchError as exc:
            yield exc.payload
            continue
        for missing in sorted(file for file in blake3 if file not in listed)[:_SHOWN]:
            yield RecordDisagrees(record=name, other=f"{EVIDENCE_DIR}/manifest.blake3",
                                  detail=f"it does not list {missing!r}")
        for extra in sorted(file for file in listed if file not in blake3)[:_SHOWN]:
            yield RecordDisagrees(record=f"{EVIDENCE_DIR}/manifest.blake3", other=name,
                                  detail=f"it does not list {extra!r}")
        del listed


_SHOWN = 20
"""Disagreements of one kind shown per record (the first; the audit is not ok either way)."""
_SAME = 4
"""Files looked at that `shown` shows under one name (names that differ only where XML
cannot hold them)."""


def _as_last_copy_named(folder: Path) -> Iterator[ErrorPayload]:
    """The custody log as the latest generation names it, and the manifests as the latest
    copy's (transfer) generation does: audits never change manifests, so one run on an
    altered manifest cannot make it the reference of the next."""
    mhl_dir = folder / MHL_DIR
    generations = sorted(mhl_dir.glob("*.mhl"), reverse=True) if mhl_dir.is_dir() else []
    custody_checked = False
    for path in generations:
        try:
            head, tail = _ends(path)
        except OSError:
            continue  # a missing or unreadable generation is the history check's problem
        named = parse_record_digests(tail)
        if not named:
            continue
        by = f"{MHL_DIR}/{path.name}"
        if not custody_checked:
            custody_checked = True
            yield from disagreements(folder, [d for d in named if d.lines is not None], by,
                                     manifests=False)
        if b"<process>transfer</process>" in head:
            yield from disagreements(folder, [d for d in named if d.lines is None], by)
            return


def _ends(path: Path) -> tuple[bytes, bytes]:
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(size - _TAIL, 0))
        return head, handle.read()


def _history_agrees(history: Applied, files: AuditFiles) -> Iterator[ErrorPayload]:
    """Each file the history records still in the manifest and still of its xxh128. The
    history and the files are walked side by side in path order: no table of either."""
    # The history holds a name XML cannot (not UTF-8, control characters) as `shown` shows it.
    keys = [shown(name) for name in files.names]  # the very name, when nothing is changed
    order = sorted(range(len(keys)), key=keys.__getitem__)
    names, digests = history.digests.entries.names, history.digests.entries.digests
    k, reported = 0, 0
    for position in history.digests.positions():
        name = names[position]
        while k < len(order) and keys[order[k]] < name:
            k += 1
        same = [i for i in order[k:k + _SAME] if keys[i] == name]
        listed = next((i for i in same if files.expected[i] is not None), None)
        problem: RecordDisagrees | None = None
        if listed is None:
            problem = RecordDisagrees(
                record=f"{EVIDENCE_DIR}/manifest.blake3", other=f"the {MHL_DIR} history",
                detail=f"the history records {name!r}, the manifest does not list it")
        # A file that differs from its manifest is a `modified` row already: not told twice.
        elif ((expected := digests.get(position, "xxh128")) is not None
              and files.matched(listed) and (found := files.xxh128(listed)) is not None
              and found.hex() != expected):
            problem = RecordDisagrees(
                record=f"{MHL_DIR} history", other=name,
                detail=f"the history gives xxh128 {expected}, the file has {found.hex()}")
        if problem is not None and reported < _SHOWN:
            reported += 1
            yield problem

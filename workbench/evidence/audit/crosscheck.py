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
from collections.abc import Iterator
from pathlib import Path

from workbench.errors import ErrorPayload, RecordDisagrees, WorkbenchError
from workbench.evidence.audit.files import AuditFiles
from workbench.evidence.integrity import chain_problems, disagreements
from workbench.evidence.integrity.record_digests import MANIFEST_GLOB, parse_record_digests
from workbench.evidence.layout import EVIDENCE_DIR, evidence_dir
from workbench.evidence.manifest import read_manifest
from workbench.evidence.mhl_format.model import MHL_DIR
from workbench.foreign import apply_to
from workbench.foreign.ascmhl import has_history, read_history
from workbench.hashing.algorithms import ALGORITHMS
from workbench.shown_names import shown

_HEAD = 4096
"""Bytes at the start of a generation that hold its `<process>`."""
_TAIL = 64 << 10
"""Bytes at the end of a generation that hold its `<metadata>` (the record's digests)."""


def cross_check(folder: Path, blake3: dict[str, str], files: AuditFiles) -> list[ErrorPayload]:
    """Every disagreement among the folder's records and between them and the files read
    (`blake3` is the manifest the files were checked against; `files` what was read)."""
    problems: list[ErrorPayload] = list(chain_problems(folder))
    problems += _manifests_agree(folder, blake3)
    problems += _as_last_copy_named(folder)
    if has_history(folder):
        problems += _history_agrees(folder, blake3, files)
    return problems


def _manifests_agree(folder: Path, blake3: dict[str, str]) -> Iterator[ErrorPayload]:
    """Each other manifest lists exactly the files `manifest.blake3` lists."""
    for path in sorted(evidence_dir(folder).glob(MANIFEST_GLOB)):
        algorithm = path.suffix.removeprefix(".")
        if algorithm == "blake3" or algorithm not in ALGORITHMS:
            continue
        name = f"{EVIDENCE_DIR}/{path.name}"
        try:
            listed = read_manifest(folder, algorithm)
        except WorkbenchError as exc:
            yield exc.payload
            continue
        for missing in sorted(set(blake3) - set(listed))[:_SHOWN]:
            yield RecordDisagrees(record=name, other=f"{EVIDENCE_DIR}/manifest.blake3",
                                  detail=f"it does not list {missing!r}")
        for extra in sorted(set(listed) - set(blake3))[:_SHOWN]:
            yield RecordDisagrees(record=f"{EVIDENCE_DIR}/manifest.blake3", other=name,
                                  detail=f"it does not list {extra!r}")


_SHOWN = 20
"""Disagreements of one kind shown per record (the first; the audit is not ok either way)."""


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


def _history_agrees(folder: Path, blake3: dict[str, str], files: AuditFiles
                    ) -> Iterator[ErrorPayload]:
    """The history intact, its files still in the manifest and still of its xxh128."""
    found = read_history(folder)
    yield from found.problems
    applied = apply_to(found, folder)
    # The history holds a name XML cannot (not UTF-8, control characters) as `shown` shows it.
    # A file that differs from its manifest is a `modified` row already: not told twice.
    read_now = {shown(files.names[i]): digest.hex() for i, digest in enumerate(files.xxh128)
                if digest is not None and files.matched(i)}
    listed = {shown(name) for name in blake3}
    reported = 0
    for name, digests in sorted(applied.digests.items()):
        problem: RecordDisagrees | None = None
        if name not in listed:
            problem = RecordDisagrees(
                record=f"{EVIDENCE_DIR}/manifest.blake3", other=f"the {MHL_DIR} history",
                detail=f"the history records {name!r}, the manifest does not list it")
        elif "xxh128" in digests and name in read_now and read_now[name] != digests["xxh128"]:
            problem = RecordDisagrees(
                record=f"{MHL_DIR} history", other=name,
                detail=f"the history gives xxh128 {digests['xxh128']}, the file has "
                       f"{read_now[name]}")
        if problem is not None and reported < _SHOWN:
            reported += 1
            yield problem

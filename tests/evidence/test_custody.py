"""The typed custody log: every line of a log written by the previous release reads back as
its entry type and writes back as the same JSON object; unknown events and damage are typed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.errors import CorruptFile, EvidenceError
from workbench.evidence.custody import PREVIOUS as PREVIOUS_SHA256
from workbench.evidence.custody import (
    AuditEntry,
    CleanupEntry,
    CopyEntry,
    ExportEntry,
    OtherEntry,
    RepairEntry,
    append_custody,
    read_custody,
)
from workbench.evidence.layout import CUSTODY_LOG, evidence_dir

PREVIOUS = Path(__file__).parent / "fixtures" / "custody_previous_release.jsonl"
"""Written by release 0.1.0 (`workbench demo`, two exports, audits, cleanup and repair notes)."""


def test_a_log_of_the_previous_release_reads_as_typed_entries() -> None:
    entries = list(read_custody(PREVIOUS))
    kinds = [type(entry) for entry in entries]
    assert kinds == [CopyEntry, AuditEntry, AuditEntry, ExportEntry, AuditEntry, ExportEntry,
                     AuditEntry, CleanupEntry, RepairEntry, RepairEntry]
    copy = entries[0]
    assert isinstance(copy, CopyEntry)
    assert copy.case["occurrence"] == "2026-004512" and copy.counts_of()["verified"] > 0
    assert copy.algorithms[0] == "blake3" and copy.source_volumes and copy.previous_sha256 is None
    zips = [entry for entry in entries if isinstance(entry, ExportEntry)]
    assert [entry.format for entry in zips] == ["zip", "bagit"]
    assert all(entry.verified and entry.sha256 and entry.blake3 for entry in zips)


def test_every_line_writes_back_as_the_same_object(tmp_path: Path) -> None:
    for entry in read_custody(PREVIOUS):
        append_custody(tmp_path, entry)
    written = (evidence_dir(tmp_path) / CUSTODY_LOG).read_text(encoding="utf-8").splitlines()
    original = PREVIOUS.read_text(encoding="utf-8").splitlines()
    links = [json.loads(line).pop(PREVIOUS_SHA256) for line in written]
    assert [_unlinked(line) for line in written] == [json.loads(line) for line in original]
    assert links[0] == "" and all(len(link) == 64 for link in links[1:])


def _unlinked(line: str) -> dict[str, object]:
    entry = json.loads(line)
    del entry[PREVIOUS_SHA256]
    return dict(entry)


def test_an_event_of_a_newer_release_reads_as_other(tmp_path: Path) -> None:
    log = evidence_dir(tmp_path) / CUSTODY_LOG
    log.parent.mkdir()
    shutil.copy(PREVIOUS, log)
    with log.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"event": "playable copy", "user": "u", "host": "h",
                                 "tool_version": "9.0", "finished": "2027-01-01T00:00:00+00:00",
                                 "outcome": "completed", "previous_sha256": "ab" * 32,
                                 "files": 3}) + "\n")
    last = list(read_custody(log))[-1]
    assert isinstance(last, OtherEntry) and last.event == "playable copy"
    assert last.previous_sha256 == "ab" * 32 and last.model_extra == {"files": 3}


@pytest.mark.parametrize(("line", "detail"), [
    ("{not json", "line 2 is not JSON"),
    ('{"event": "copy", "user": "u"}', "not a custody entry"),
])
def test_a_damaged_line_is_a_typed_error(tmp_path: Path, line: str, detail: str) -> None:
    log = tmp_path / CUSTODY_LOG
    log.write_text(PREVIOUS.read_text(encoding="utf-8").splitlines()[0] + "\n" + line + "\n",
                   encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        list(read_custody(log))
    assert isinstance(caught.value.payload, CorruptFile) and detail in str(caught.value)
    assert [type(entry) for entry in read_custody(log, skip_bad=True)] == [CopyEntry]

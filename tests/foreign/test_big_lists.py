"""Big lists from other tools stay small in memory (#19: a list of 10⁶ lines took 2.7 GB).
The entries and the audit's rows are columns: these tests weigh the structures themselves
(`bench/big_lists.py` measures the peak RSS of a 10⁶-line audit)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from workbench.errors import MalformedRecord
from workbench.evidence import verify_case
from workbench.evidence.types import VerifyRows
from workbench.foreign import open_record
from workbench.foreign.entries import MAX_PROBLEMS
from workbench.foreign.types import ExpectedEntries

LINES = 100_000


def _name(i: int) -> str:
    return f"cam{i % 7}/clip_{i:06d}.mp4"


def _digest(i: int) -> str:
    return hashlib.sha256(str(i).encode()).hexdigest()


def _write_list(path: Path, lines: int) -> None:
    path.write_text("".join(f"{_digest(i)}  {_name(i)}\n" for i in range(lines)))


def test_a_big_list_is_kept_in_columns_of_a_few_dozen_bytes_an_entry(tmp_path: Path) -> None:
    listing = tmp_path / "list.sha256"
    _write_list(listing, LINES)
    found = open_record(listing, tmp_path)
    entries = found.entries
    assert isinstance(entries, ExpectedEntries) and len(entries) == LINES
    digests = entries.digests
    blob, present = digests._blobs["sha256"]
    # Beyond the names themselves: a reference per name, the raw digest, a flag and a size
    # (no index by path: binary search). A model per entry cost ~1 KB; a hex string alone is
    # 113 bytes.
    held = (sys.getsizeof(entries.names) + sys.getsizeof(blob) + sys.getsizeof(present)
            + sys.getsizeof(entries.column("size")))
    assert held / LINES < 32 + 1 + 8 + 8 + 2, f"{held / LINES:.0f} bytes an entry"
    assert not hasattr(entries, "__dict__"), "nothing held beyond the columns"
    some = 4_321
    position = entries.position(_name(some))
    assert position is not None and entries.position(_name(some) + "x") is None
    entry = entries[position]
    assert entry.path.as_posix() == _name(some) and entry.digests == {"sha256": _digest(some)}
    assert list(entries.names) == sorted(entries.names)


def test_an_audit_against_a_big_list_builds_its_rows_in_columns(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    (folder / "cam3").mkdir(parents=True)
    (folder / "cam3" / "clip_000003.mp4").write_bytes(b"not what the list says")
    listing = tmp_path / "list.sha256"
    _write_list(listing, LINES)
    report = verify_case(folder, against=listing)
    rows = report.rows
    assert isinstance(rows, VerifyRows) and len(rows) == LINES
    summary = report.summary()
    assert (summary["missing"], summary["modified"], summary["ok"]) == (LINES - 1, 1, 0)
    modified = next(row for row in rows if row.status == "modified")
    assert modified.path.as_posix() == _name(3) and modified.expected == _digest(3)
    assert modified.actual == hashlib.sha256(b"not what the list says").hexdigest()
    assert rows[0].expected == _digest(0) and rows[0].status == "missing"


def test_a_list_of_garbage_lines_keeps_a_bounded_number_of_problems(tmp_path: Path) -> None:
    listing = tmp_path / "list.sha256"
    listing.write_text("this is not a checksum line\n" * (MAX_PROBLEMS * 3))
    found = open_record(listing, tmp_path)
    assert len(found.problems) == MAX_PROBLEMS + 1
    last = found.problems[-1]
    assert isinstance(last, MalformedRecord) and last.problem == "too_many"
    assert f"{MAX_PROBLEMS * 2:,} more" in last.detail

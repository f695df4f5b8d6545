"""The desktop app's `Hash_Verification.csv`: one row per copied file with the columns
Filename, Source Path, Destination Path, Source Hash, Destination Hash, Verification Status
(SHA-256).

Its paths are absolute on the machine that made the copy. They are mapped into the folder
being checked by that folder's own name, where it appears in the common folder of every
Destination Path, else by dropping that common folder. A row whose two hashes differ (or
whose status says it failed) is the app's own record of a failed copy: a `RecordMismatch`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from workbench.errors import RecordMismatch
from workbench.foreign.entries import EntryCollector
from workbench.foreign.reader import RecordReader
from workbench.foreign.text import RecordText
from workbench.foreign.types import RecordRef, RecordSet

FILE_NAME = "hash_verification.csv"
"""The CSV's name (compared case-insensitively)."""
COLUMNS = ("Filename", "Source Path", "Destination Path", "Source Hash", "Destination Hash",
           "Verification Status")
"""The columns the app writes."""
_FAILED = re.compile(r"fail|mismatch|error", re.IGNORECASE)


def is_fsu_csv(path: Path) -> bool:
    """Whether `path` is named like the app's hash CSV."""
    return path.name.lower() == FILE_NAME


def read_fsu_csv(path: Path, folder: Path) -> RecordSet:
    """The expectations of the CSV about `folder` (the folder the copy went to). Read twice,
    streaming, so a CSV of 10⁶ rows is never held: once for the common folder of every
    Destination Path, once for the rows."""
    collector = EntryCollector(path)
    text = RecordText(path, skip_comments=False)
    try:
        first = next(_rows(text), (0, None))[1]
        missing = [name for name in ("Destination Path", "Source Hash")
                   if first is not None and name not in first]
        if missing or first is None:
            detail = f"no {', '.join(missing)} column" if missing else "no rows"
            collector.malformed("syntax", f"{detail}; expected the columns {', '.join(COLUMNS)}")
        else:
            drop = _mapped_prefix((_parts(row.get("Destination Path") or "")
                                   for _number, row in _rows(text)), folder.name)
            text = RecordText(path, skip_comments=False)
            for number, row in _rows(text):
                _row(collector, row, _parts(row.get("Destination Path") or "")[drop:], number)
    except csv.Error as exc:  # e.g. a field over the csv module's limit
        collector.malformed("syntax", f"not a readable CSV ({exc})")
    collector.problems.extend(text.problems())
    return collector.result(RecordRef(kind="fsu_csv", path=path), record_files=[path])


def _rows(text: RecordText) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number from 2, row) of every row after the header."""
    lines = (text.decode(line, number) + "\n" for number, line in text)
    return enumerate(csv.DictReader(lines), start=2)


def _row(collector: EntryCollector, row: dict[str, str], parts: list[str], number: int) -> None:
    relative = collector.path("/".join(parts), number) if parts else None
    source = collector.digest("sha256", (row.get("Source Hash") or "").strip(), number)
    if relative is None or source is None:
        return
    collector.add(relative, "sha256", source, line=number)
    copied = (row.get("Destination Hash") or "").strip().lower()
    status = row.get("Verification Status") or ""
    if (copied and copied != source) or _FAILED.search(status):
        collector.note(RecordMismatch(
            record=collector.name, file=relative, algorithm="sha256",
            expected=source, actual=copied or status,
        ))


def _parts(path: str) -> list[str]:
    """A Windows or POSIX absolute path as its components (drive and root left out)."""
    return [part for part in re.split(r"[\\/]", re.sub(r"^[A-Za-z]:", "", path)) if part]


def _mapped_prefix(paths: Iterable[list[str]], folder_name: str) -> int:
    """How many leading components map every path into the folder."""
    prefix: list[str] | None = None
    shortest = 0
    for parts in paths:
        if prefix is None:
            prefix, shortest = list(parts), len(parts)
            continue
        shortest = min(shortest, len(parts))
        same = next((k for k, (a, b) in enumerate(zip(prefix, parts, strict=False)) if a != b),
                    min(len(prefix), len(parts)))
        del prefix[same:]
    prefix = (prefix or [])[:max(shortest - 1, 0)]
    if folder_name in prefix:
        return len(prefix) - prefix[::-1].index(folder_name)
    return len(prefix)


READER = RecordReader(kind="fsu_csv", label="a hash CSV",
                      detect=lambda path: path if is_fsu_csv(path) else None, read=read_fsu_csv,
                      suffixes=(".csv",))
"""The desktop app's hash CSV, told by its name."""

"""hashdeep known files (`hashdeep -c md5,sha256 -r -l`): a `%%%% HASHDEEP-1.0` header, a
`%%%% size,md5,...,filename` line declaring the columns in any order, `##` comments, then
one comma-separated line per file. The file name may hold commas: every other column is
split off around it. A known file written on Windows (its `## Invoked from:` is a drive
path) separates folders with backslashes."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.foreign.entries import EntryCollector
from workbench.foreign.reader import RecordReader
from workbench.foreign.text import RecordText
from workbench.foreign.types import RecordRef, RecordSet
from workbench.hashing.algorithms import names_in

HEADER = b"%%%% HASHDEEP-1.0"
"""The first line of every hashdeep known file."""
_COLUMNS = names_in("hashdeep")
_WINDOWS_ORIGIN = re.compile(rb"^## Invoked from: [A-Za-z]:\\")


def is_hashdeep(path: Path) -> bool:
    """Whether `path` starts like a hashdeep known file."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(HEADER) + 3).lstrip(b"\xef\xbb\xbf").startswith(HEADER)
    except OSError:
        return False


def read_hashdeep(path: Path) -> RecordSet:
    """The entries of a hashdeep known file; names are relative to where hashdeep ran."""
    collector = EntryCollector(path)
    text = RecordText(path, skip_comments=False)
    columns: list[str] | None = None
    unchecked: set[str] = set()
    windows = False
    for number, line in text:
        if line.startswith(b"%%%% size") or line.startswith(b"%%%% filename") or (
                line.startswith(b"%%%% ") and b"," in line):
            columns = line[5:].decode("ascii", "replace").strip().lower().split(",")
            unchecked |= {name for name in columns if name not in (*_COLUMNS, "size", "filename")}
            continue
        if line.startswith(b"%%%%"):
            continue
        if line.startswith(b"##"):
            windows = windows or _WINDOWS_ORIGIN.match(line) is not None
            continue
        if columns is None or "filename" not in columns:
            collector.malformed("syntax", "no `%%%% size,...,filename` column line before the "
                                "entries", number)
            break
        fields = _split(line, columns)
        if fields is None:
            collector.malformed("syntax", f"expected {len(columns)} comma-separated fields",
                                number)
            continue
        relative = collector.path(text.decode(fields["filename"], number), number,
                                  windows=windows)
        size = _size(collector, fields.get("size"), number)
        if relative is None:
            continue
        for column, algorithm in _COLUMNS.items():
            if column in fields:
                digest = collector.digest(algorithm, fields[column].decode("ascii", "replace"),
                                          number)
                if digest is not None:
                    collector.add(relative, algorithm, digest, size, number)
    if columns is not None and not set(columns) & set(_COLUMNS):
        collector.malformed("algorithm", f"no digest the workbench can check among "
                            f"{', '.join(columns)}")
    collector.problems.extend(text.problems())
    ref = RecordRef(kind="hashdeep", path=path, tool="hashdeep", unchecked=sorted(unchecked))
    return collector.result(ref, record_files=[path])


def _split(line: bytes, columns: list[str]) -> dict[str, bytes] | None:
    """The fields of one entry; the file name keeps any commas it holds."""
    at = columns.index("filename")
    before, after = at, len(columns) - at - 1
    head = line.split(b",", before) if before else [line]
    if len(head) != before + 1:
        return None
    rest = head.pop()
    tail = rest.rsplit(b",", after) if after else [rest]
    if len(tail) != after + 1:
        return None
    return dict(zip(columns, [*head, *tail], strict=True))


def _size(collector: EntryCollector, field: bytes | None, number: int) -> int | None:
    if field is None:
        return None
    if not field.isdigit():
        collector.malformed("syntax", f"size {field[:40]!r} is not a number", number)
        return None
    return int(field)


READER = RecordReader(kind="hashdeep", label="a hashdeep file",
                      detect=lambda path: path if is_hashdeep(path) else None,
                      read=lambda record, _folder: read_hashdeep(record),
                      suffixes=(".txt", ".hashdeep", ".hsh"), opens=True)
"""hashdeep known files (`hashdeep -c md5,sha256 -r -l`), told by their header."""

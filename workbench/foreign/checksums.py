"""Checksum lists as `md5sum`, `sha1sum`, `sha256sum`, `sha512sum` and `b3sum` write them.

`<hex>  <name>` (text mode) or `<hex> *<name>` (binary mode), one per line; a name holding a
backslash, a newline or (coreutils) a carriage return is escaped (`\\\\`, `\\n`, `\\r`) and
its line starts with a backslash. The BSD form `--tag` writes (`SHA256 (name) = <hex>`) is
read too. The algorithm comes from the list's name (`*.md5`, `SHA256SUMS`, `x.b3` ...) or,
in the BSD form, from each line. BagIt manifests use the same reader with their own escapes.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.foreign.entries import EntryCollector
from workbench.foreign.reader import RecordReader
from workbench.foreign.text import RecordText
from workbench.foreign.types import RecordRef, RecordSet
from workbench.hashing.algorithms import SPECS, HashAlgorithm, names_in

_BY_NAME = names_in("coreutils")
_NAMED = re.compile(rf"(?<![a-z0-9])({'|'.join(_BY_NAME)})(?:sums?)?(?![a-z0-9])")
_GNU = re.compile(rb"^(\\?)(\S+) ([ *])(.*)$", re.DOTALL)
_TAGS = "|".join(spec.coreutils[0].upper() for spec in SPECS.values() if spec.coreutils)
_TAGGED = re.compile(rb"^(\\?)(" + _TAGS.encode() + rb") \((.*)\) = (\S+)$", re.DOTALL)
_BAGIT = re.compile(rb"^(\S+)[ \t]+\*?(.*)$", re.DOTALL)
_UNESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"\\": b"\\"}
_BAG_ESCAPES = re.compile(rb"%(0[AaDd]|25)")


def algorithm_of(name: str) -> HashAlgorithm | None:
    """The algorithm a list's file name tells (`md5sum.txt`, `SHA256SUMS`, `clips.b3`)."""
    match = _NAMED.search(name.lower())
    return _BY_NAME[match.group(1)] if match else None


def unescape(name: bytes) -> bytes:
    """A name as coreutils and b3sum escape it, back to its bytes."""
    return _UNESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), name)


def read_checksum_list(path: Path) -> RecordSet:
    """The entries of a checksum list; names are relative to the folder the list describes."""
    collector = EntryCollector(path)
    chosen = algorithm_of(path.name)
    text = RecordText(path)
    for number, line in text:
        tagged = _TAGGED.match(line)
        if tagged is not None:
            escaped, tag, raw_name, hexdigest = tagged.groups()
            line_algorithm: HashAlgorithm | None = _BY_NAME[tag.decode().lower()]
        elif (gnu := _GNU.match(line)) is not None:
            escaped, hexdigest, _mode, raw_name = gnu.groups()
            line_algorithm = chosen
        else:
            collector.malformed("syntax", "not `<digest>  <name>` nor `ALG (name) = <digest>`",
                                number)
            continue
        if line_algorithm is None:
            collector.malformed("algorithm", f"the name {path.name!r} does not tell the "
                                "algorithm; name the list "
                                f"{', '.join(f'*.{name}' for name in _BY_NAME)}", number)
            return collector.result(_ref(path))
        _add(collector, text, number, line_algorithm, hexdigest,
             unescape(raw_name) if escaped else raw_name)
    collector.problems.extend(text.problems())
    return collector.result(_ref(path), record_files=[path])


def read_bag_manifest(path: Path, algorithm: HashAlgorithm, collector: EntryCollector) -> None:
    """Add a BagIt (tag) manifest's entries (`<digest> <path>`, `%0A`/`%0D`/`%25` escapes)."""
    text = RecordText(path)
    for number, line in text:
        match = _BAGIT.match(line)
        if match is None:
            collector.malformed("syntax", "not `<digest> <path>`", number)
            continue
        hexdigest, raw_name = match.groups()
        name = _BAG_ESCAPES.sub(lambda m: bytes([int(m.group(1), 16)]), raw_name)
        _add(collector, text, number, algorithm, hexdigest, name)
    collector.problems.extend(text.problems())


def _add(collector: EntryCollector, text: RecordText, number: int,
         algorithm: HashAlgorithm, hexdigest: bytes, raw_name: bytes) -> None:
    digest = collector.digest(algorithm, hexdigest.decode("ascii", "replace"), number)
    relative = collector.path(text.decode(raw_name, number), number)
    if digest is not None and relative is not None:
        collector.add(relative, algorithm, digest, line=number)


def _ref(path: Path) -> RecordRef:
    return RecordRef(kind="checksums", path=path)


READER = RecordReader(kind="checksums", label="a checksum list",
                      detect=lambda path: path if algorithm_of(path.name) else None,
                      read=lambda record, _folder: read_checksum_list(record),
                      suffixes=(".txt", ".hashdeep", ".hsh", ".csv", "",
                                *(f".{name}" for name in _BY_NAME)))
"""Checksum lists as coreutils and b3sum write them, told by their name."""

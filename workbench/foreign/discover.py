"""Finding the record a folder carries, or opening the one a user names: one entry point
over every reader of the registry (`foreign/registry.py`)."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import NotFound, PathNotFound, RecordError, payload_from_os_error
from workbench.foreign.entries import merge
from workbench.foreign.reader import RecordReader
from workbench.foreign.registry import READERS, RECORD_KINDS
from workbench.foreign.types import RecordSet

_SNIFF_LIMIT = 256 << 20
"""Top-level files larger than this are never opened to see whether they are records."""
_WHOLE = [reader for reader in READERS if reader.whole_folder]
_FILES = [reader for reader in READERS if not reader.whole_folder]


def find_records(folder: Path) -> RecordSet | None:
    """The best record `folder` carries: the first folder record (an ASC MHL history, a bag),
    else every file record at its top level together; None when it has none."""
    try:
        for reader in _WHOLE:
            record = reader.detect(folder)
            if record is not None:
                return reader.read(record, folder)
        lists = [_read_file(path, folder) for path in _top_level_records(folder)]
    except OSError as exc:
        raise RecordError(payload_from_os_error(exc, operation="read")) from exc
    return merge(lists) if lists else None


def open_record(record: Path, folder: Path) -> RecordSet:
    """The record at `record` (a list or CSV file, a history folder or its `ascmhl` folder or
    chain, a bag or its `bagit.txt`), describing `folder`."""
    try:
        if not record.exists():
            raise RecordError(PathNotFound(path=str(record)))
        for reader in _WHOLE:
            found = reader.detect(record)
            if found is not None:
                return reader.read(found, folder)
        if record.is_dir():
            raise RecordError(NotFound(kind="record", id=RECORD_KINDS, path=str(record)))
        return _read_file(record, folder)
    except OSError as exc:
        raise RecordError(payload_from_os_error(exc, operation="read")) from exc


def _read_file(path: Path, folder: Path) -> RecordSet:
    """A record file by the first file reader that detects it; the last reader (checksum
    lists) reads any other, and its problems say why it is not one."""
    reader = next((reader for reader in _FILES if reader.detect(path) is not None), _FILES[-1])
    return reader.read(path, folder)


def _top_level_records(folder: Path) -> list[Path]:
    """The record files at the top of `folder`, by name (and header, for those that tell)."""
    with os.scandir(folder) as entries:
        files = sorted((e for e in entries if e.is_file(follow_symlinks=False)),
                       key=lambda e: e.name)
    return [Path(entry.path) for entry in files
            if any(_discovers(reader, entry) for reader in _FILES)]


def _discovers(reader: RecordReader, entry: os.DirEntry[str]) -> bool:
    path = Path(entry.path)
    if path.suffix.lower() not in reader.suffixes:
        return False
    if reader.opens and entry.stat().st_size >= _SNIFF_LIMIT:
        return False
    return reader.detect(path) is not None

"""Finding the record a folder carries, or opening the one a user names: one entry point
over every reader (ASC MHL, BagIt, checksum lists, hashdeep, the desktop app's CSV)."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import NotFound, PathNotFound, ProcessingError, payload_from_os_error
from workbench.foreign.ascmhl import CHAIN_FILE, MHL_DIR, has_history, read_history
from workbench.foreign.bag import is_bag, read_bag
from workbench.foreign.checksums import algorithm_of, read_checksum_list
from workbench.foreign.entries import merge
from workbench.foreign.fsu_csv import is_fsu_csv, read_fsu_csv
from workbench.foreign.hashdeep import is_hashdeep, read_hashdeep
from workbench.foreign.types import RecordSet

RECORD_KINDS = "an ASC MHL history, a BagIt bag, a checksum list, a hashdeep file or a hash CSV"
"""What `open_record` accepts, in words."""
_LIST_SUFFIXES = (".txt", ".md5", ".sha1", ".sha256", ".sha512", ".b3", ".blake3", ".hashdeep",
                  ".hsh", ".csv", "")
_SNIFF_LIMIT = 256 << 20
"""Top-level files larger than this are never opened to see whether they are records."""


def find_records(folder: Path) -> RecordSet | None:
    """The best record `folder` carries: an ASC MHL history, else a bag, else every checksum
    list, hashdeep file and hash CSV at its top level together; None when it has none."""
    try:
        if has_history(folder):
            return read_history(folder)
        if is_bag(folder):
            return read_bag(folder)
        lists = [_read_file(path, folder) for path in _top_level_records(folder)]
    except OSError as exc:
        raise ProcessingError(payload_from_os_error(exc, operation="read")) from exc
    return merge(lists) if lists else None


def open_record(record: Path, folder: Path) -> RecordSet:
    """The record at `record` (a list or CSV file, a history folder or its `ascmhl` folder or
    chain, a bag or its `bagit.txt`), describing `folder`."""
    try:
        if not record.exists():
            raise ProcessingError(PathNotFound(path=str(record)))
        if record.is_dir():
            target = record.parent if record.name == MHL_DIR else record
            if has_history(target):
                return read_history(target)
            if is_bag(target):
                return read_bag(target)
            raise ProcessingError(NotFound(kind="record", id=RECORD_KINDS, path=str(record)))
        if record.name == CHAIN_FILE or record.suffix == ".mhl":
            return read_history(record.parent.parent)
        if record.name == "bagit.txt":
            return read_bag(record.parent)
        return _read_file(record, folder)
    except OSError as exc:
        raise ProcessingError(payload_from_os_error(exc, operation="read")) from exc


def _read_file(path: Path, folder: Path) -> RecordSet:
    if is_hashdeep(path):
        return read_hashdeep(path)
    if is_fsu_csv(path):
        return read_fsu_csv(path, folder)
    return read_checksum_list(path)


def _top_level_records(folder: Path) -> list[Path]:
    """The record files at the top of `folder`, by name (and header, for hashdeep)."""
    with os.scandir(folder) as entries:
        files = sorted((e for e in entries if e.is_file(follow_symlinks=False)),
                       key=lambda e: e.name)
    return [Path(entry.path) for entry in files if _is_record_file(entry)]


def _is_record_file(entry: os.DirEntry[str]) -> bool:
    path = Path(entry.path)
    suffix = path.suffix.lower()
    if is_fsu_csv(path) or (algorithm_of(path.name) and suffix in _LIST_SUFFIXES):
        return True
    return suffix in (".txt", ".hashdeep", ".hsh") and entry.stat().st_size < _SNIFF_LIMIT \
        and is_hashdeep(path)

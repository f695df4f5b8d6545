"""The record-reader protocol: what every reader of another tool's record offers, so that
discovery, `open_record`, the CLI's help and the Audit panel work from one registry
(`foreign/registry.py`). A new format is one module with a `READER` and one registry line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.foreign.types import RecordKind, RecordSet


@dataclass(frozen=True)
class RecordReader:
    """One format of record: how to recognise it and how to read it."""

    kind: RecordKind
    """The kind its `RecordRef`s carry."""
    label: str
    """The format in words, with its article: `an ASC MHL history`."""
    detect: Callable[[Path], Path | None]
    """The record `path` is or holds, or None: for a folder format, given a folder (or a
    file inside its record), the record's folder; for a file format, the file itself."""
    read: Callable[[Path, Path], RecordSet]
    """`read(record, folder)`: the entries (and problems) of `record`, with paths relative
    to `folder`, the folder it describes."""
    whole_folder: bool = False
    """The record describes its whole folder: discovery takes the first one found and stops;
    file records at a folder's top level are read together instead."""
    suffixes: tuple[str, ...] = ()
    """File suffixes (lower case, `""` for none) discovery considers for this format in a
    folder; a record named explicitly is detected whatever its name."""
    opens: bool = False
    """`detect` reads the file's first bytes (discovery skips files too large to be records)."""

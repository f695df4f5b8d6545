"""ASC MHL v2.0 histories written by any tool (the reference `ascmhl`, o/COPY, Hedge,
Silverstack, this workbench): every generation of the history at a folder's `ascmhl/` and of
each history nested below it.

Untrusted XML is parsed with `defusedxml` (entity and DTD declarations refused). The chain
file's C4 ID of each generation is checked first: a missing, altered or unlisted generation
is a problem, and an altered one is not used. Per file and algorithm, the earliest digest
recorded as `original` or `verified` is what the file must still have; a `failed` entry
records what a file was found to be, never what it should be. A later generation's
`<previousPath>` moves a file's digests to its new name. The latest generation's ignore
patterns (and each nested history's, under its folder) leave files out of the check, as the
reference tool does; the `ascmhl/` folders themselves are always left out.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import defusedxml
import defusedxml.ElementTree as SafeET

from workbench.foreign.entries import EntryCollector, merge
from workbench.foreign.reader import RecordReader
from workbench.foreign.types import RecordRef, RecordSet
from workbench.hashing.algorithms import names_in
from workbench.hashing.c4 import c4_id, c4_to_sha512

MHL_DIR = "ascmhl"
"""The history folder ASC MHL keeps at the root of the folder it describes."""
CHAIN_FILE = "ascmhl_chain.xml"
"""The chain file inside the history folder."""
DEFAULT_IGNORE = (".DS_Store", MHL_DIR, f"{MHL_DIR}/")
"""Patterns ASC MHL always ignores."""
_NS = "{urn:ASC:MHL:v2.0}"
_CHAIN_NS = "{urn:ASC:MHL:DIRECTORY:v2.0}"
_GENERATION = re.compile(r"^(\d{4,})(?:_.+)?\.mhl$")
_FORMATS = names_in("mhl")


def has_history(folder: Path) -> bool:
    """Whether `folder` carries an ASC MHL history."""
    return (folder / MHL_DIR).is_dir()


def read_history(folder: Path) -> RecordSet:
    """The expectations of the history at `folder` and of every history nested below it;
    paths are relative to `folder`."""
    own = _History(folder).read()
    children = [
        _prefixed(read_history(folder / child), child) for child in _nested_histories(folder)
    ]
    return merge([own, *children]) if children else own


@dataclass
class _History:
    folder: Path
    collector: EntryCollector = field(init=False)

    def __post_init__(self) -> None:
        self.collector = EntryCollector(self.folder / MHL_DIR)

    def read(self) -> RecordSet:
        tool: str | None = None
        ignore: list[str] = list(DEFAULT_IGNORE)
        for path in self._generations():
            found = self._read_generation(path)
            if found is None:
                continue
            tool = found.tool or tool
            if found.patterns:
                ignore = list(dict.fromkeys([*DEFAULT_IGNORE, *found.patterns]))
            for entry in found.hashes:
                self._hash(entry, path.name)
        ref = RecordRef(kind="ascmhl", path=self.folder / MHL_DIR, tool=tool)
        return self.collector.result(ref, ignore=ignore)

    def _read_generation(self, path: Path) -> _Generation | None:
        """One generation, its elements dropped as soon as they are read: a generation of any
        size is held as compact entries, never as a tree (one of 200,000 files took ~1 GB as a
        tree). Its entries count only once the whole file has parsed."""
        found = _Generation(tool=None, patterns=[], hashes=[])
        open_elements: list[ET.Element] = []
        try:
            for event, element in SafeET.iterparse(path, events=("start", "end"),
                                                   forbid_dtd=True):
                if event == "start":
                    open_elements.append(element)
                    continue
                open_elements.pop()
                parent = open_elements[-1] if open_elements else None
                if element.tag == f"{_NS}hash":
                    found.hashes.append(_Hash.of(element))
                    if parent is not None:
                        parent.remove(element)
                elif element.tag == f"{_NS}pattern" and element.text:
                    found.patterns.append(element.text.strip())
                elif (element.tag == f"{_NS}tool" and found.tool is None and parent is not None
                      and parent.tag == f"{_NS}creatorinfo" and len(open_elements) == 2):
                    found.tool = _tool(element)
        except defusedxml.DefusedXmlException as exc:
            self._problem(path, "entities", f"refused: {type(exc).__name__}")
        except ET.ParseError as exc:
            self._problem(path, "syntax", f"not well-formed XML ({exc})")
        else:
            return found
        return None

    def _generations(self) -> list[Path]:
        """The generation files in order, those whose chain entry does not match left out."""
        mhl_dir = self.folder / MHL_DIR
        found = {}
        for path in sorted(mhl_dir.iterdir()):
            match = _GENERATION.match(path.name)
            if match is not None and path.is_file():
                found[path.name] = int(match.group(1))
        chain = self._chain()
        if chain is None:
            return [mhl_dir / name for name in sorted(found, key=found.__getitem__)]
        usable = []
        for name, c4 in chain:
            if name not in found:
                self.collector.malformed("validation", f"generation {name} listed in the "
                                         "chain is missing")
                continue
            if c4_id((mhl_dir / name).read_bytes()) != c4:
                self.collector.malformed("validation", f"generation {name} was altered after "
                                         "it was written (its C4 ID differs from the chain's)")
                continue
            usable.append(mhl_dir / name)
        for name in sorted(set(found) - {name for name, _ in chain}):
            self.collector.malformed("validation", f"generation {name} is not listed in the "
                                     "chain; it was not used")
        return sorted(usable, key=lambda path: found[path.name])

    def _chain(self) -> list[tuple[str, str]] | None:
        path = self.folder / MHL_DIR / CHAIN_FILE
        if not path.is_file():
            self.collector.malformed("validation", f"the history has no {CHAIN_FILE}; its "
                                     "generations could not be checked")
            return None
        root = self._parse(path)
        if root is None:
            return None
        links = []
        for link in root.iter(f"{_CHAIN_NS}hashlist"):
            name = (link.findtext(f"{_CHAIN_NS}path") or "").strip()
            c4 = (link.findtext(f"{_CHAIN_NS}c4") or "").strip()
            if "/" in name or "\\" in name or not _GENERATION.match(name):
                self.collector.malformed("syntax", f"{CHAIN_FILE} names {name[:100]!r}, not a "
                                         "generation file of this folder")
                continue
            links.append((name, c4))
        return links

    def _parse(self, path: Path) -> ET.Element | None:
        try:
            data = path.read_bytes()
            return SafeET.fromstring(data, forbid_dtd=True)
        except defusedxml.DefusedXmlException as exc:
            self._problem(path, "entities", f"refused: {type(exc).__name__}")
        except ET.ParseError as exc:
            self._problem(path, "syntax", f"not well-formed XML ({exc})")
        return None

    def _problem(self, path: Path, problem: str, detail: str) -> None:
        self.collector.malformed(problem, f"{path.name}: {detail}")

    def _hash(self, entry: _Hash, generation: str) -> None:
        if not entry.path:
            self.collector.malformed("syntax", f"{generation}: a <hash> without a <path>")
            return
        relative = self.collector.path(entry.path)
        if relative is None:
            return
        if entry.previous and (old := self.collector.path(entry.previous)) is not None:
            self.collector.move(old, relative)
        size = _int(entry.size)
        for tag, action, text in entry.digests:
            algorithm = _FORMATS.get(tag.removeprefix(_NS))
            if algorithm is None or action == "failed":
                continue
            value = (text or "").strip()
            if tag == f"{_NS}c4":
                value = c4_to_sha512(value) or value
            digest = self.collector.digest(algorithm, value)
            if digest is not None:
                self.collector.add(relative, algorithm, digest, size)


class _Hash(NamedTuple):
    """What one `<hash>` element says, kept without its element."""

    path: str | None
    previous: str | None
    size: str | None
    digests: tuple[tuple[str, str | None, str | None], ...]
    """(tag, action, text) of each child."""

    @classmethod
    def of(cls, element: ET.Element) -> _Hash:
        path = element.find(f"{_NS}path")
        return cls(path.text if path is not None else None,
                   element.findtext(f"{_NS}previousPath"),
                   path.get("size") if path is not None else None,
                   tuple((child.tag, child.get("action"), child.text) for child in element))


@dataclass
class _Generation:
    """One generation as read: its tool, ignore patterns and hash entries."""

    tool: str | None
    patterns: list[str]
    hashes: list[_Hash]


def _nested_histories(folder: Path) -> list[str]:
    """Relative POSIX paths of the folders below `folder` that carry their own history (the
    nearest ones: a history nested in those belongs to them)."""
    found = []
    for current, folders, _files in os.walk(folder):
        carries = MHL_DIR in folders
        folders[:] = sorted(name for name in folders if name != MHL_DIR)
        if carries and Path(current) != folder:
            found.append(Path(current).relative_to(folder).as_posix())
            folders.clear()
    return found


def _prefixed(child: RecordSet, prefix: str) -> RecordSet:
    """A nested history's set with its paths and ignore patterns under `prefix`."""
    ignore = [
        f"{prefix}/{pattern.lstrip('/')}" if "/" in pattern.rstrip("/") else
        f"{prefix}/**/{pattern}"
        for pattern in child.ignore if pattern not in DEFAULT_IGNORE
    ]
    return child.model_copy(update={"entries": child.columns.prefixed(prefix), "ignore": ignore})


def _tool(tool: ET.Element) -> str | None:
    """The `<creatorinfo><tool>` text, with its version."""
    if not tool.text:
        return None
    version = tool.get("version")
    return f"{tool.text.strip()} {version}" if version else tool.text.strip()


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isascii() and text.isdigit() else None


def _detect(path: Path) -> Path | None:
    """The folder whose history `path` is, holds or is part of (its folder, its `ascmhl`
    folder, its chain file or a generation)."""
    if path.is_dir():
        folder = path.parent if path.name == MHL_DIR else path
        return folder if has_history(folder) else None
    if path.name == CHAIN_FILE or path.suffix == ".mhl":
        return path.parent.parent
    return None


READER = RecordReader(kind="ascmhl", label="an ASC MHL history", detect=_detect,
                      read=lambda record, _folder: read_history(record), whole_folder=True)
"""ASC MHL histories (`ascmhl/`), nested ones included."""

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
reference tool does; the `ascmhl/` folders themselves are always left out. What a chain's
generations say is kept in the user's signed cache and read again only when a C4 ID changes.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from workbench.foreign.entries import EntryCollector, merge
from workbench.foreign.reader import RecordReader
from workbench.foreign.types import RecordRef, RecordSet
from workbench.hashing.algorithms import names_in
from workbench.hashing.c4 import c4_of_file, c4_to_sha512
from workbench.preferences import signed_cache

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
_CHUNK = 1 << 20
"""Bytes of a generation read (hashed, parsed) at once."""
_CACHE = "ascmhl-1"
"""The signed cache's kind for parsed histories (a new number when `_Parsed` changes)."""


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
    checks: EntryCollector = field(init=False)
    """The chain's problems."""
    parsed: _Parsed = field(init=False)

    def __post_init__(self) -> None:
        self.checks = EntryCollector(self.folder / MHL_DIR)
        self.parsed = _Parsed(EntryCollector(self.folder / MHL_DIR))

    @property
    def collector(self) -> EntryCollector:
        """What the generations say."""
        return self.parsed.collector

    def read(self) -> RecordSet:
        generations, links = self._generations()
        failed: dict[Path, tuple[str, str]] = {}
        while (start := self._parse(generations, links, failed)) is None:
            pass  # what a generation said before its error must not count: read again without it
        if links and start < len(links):
            signed_cache.store_chain(_CACHE, str(self.folder), links, self.parsed,
                                     replacing=start)
        ref = RecordRef(kind="ascmhl", path=self.folder / MHL_DIR, tool=self.parsed.tool)
        found_set = self.collector.result(ref, ignore=self.parsed.ignore)
        return found_set.model_copy(update={
            "problems": [*self.checks.problems, *found_set.problems]})

    def _parse(self, generations: list[Path], links: list[tuple[str, str]] | None,
               failed: dict[Path, tuple[str, str]]) -> int | None:
        """Read the generations (the first ones from the cache, when it has them: each C4 ID
        was re-hashed); how many came from it, or None when one failed (noted in `failed`)."""
        cached, start = signed_cache.load_chain(_CACHE, str(self.folder), links or [])
        self.parsed = cached if isinstance(cached, _Parsed) else _Parsed(
            EntryCollector(self.folder / MHL_DIR))
        start = start if isinstance(cached, _Parsed) else 0
        for path in generations[start:]:
            if path in failed:
                self._problem(path, *failed[path])
            elif (problem := self._read_generation(path)) is not None:
                failed[path] = problem
                return None
        return start

    def _read_generation(self, path: Path) -> tuple[str, str] | None:
        """One generation into the collector as it streams, each `<hash>` element dropped once
        read (200,000 files: ~60 MB, as a tree ~1 GB); what does not parse, as a problem."""
        open_elements: list[ET.Element] = []
        tool, patterns = None, []
        try:
            for event, element in SafeET.iterparse(path, events=("start", "end"),
                                                   forbid_dtd=True):
                if event == "start":
                    open_elements.append(element)
                    continue
                open_elements.pop()
                parent = open_elements[-1] if open_elements else None
                if element.tag == f"{_NS}hash":
                    self._hash(element, path.name)
                    if parent is not None:
                        parent.remove(element)
                elif element.tag == f"{_NS}pattern" and element.text:
                    patterns.append(element.text.strip())
                elif (element.tag == f"{_NS}tool" and tool is None and parent is not None
                      and parent.tag == f"{_NS}creatorinfo" and len(open_elements) == 2):
                    tool = _tool(element)
        except defusedxml.DefusedXmlException as exc:
            return "entities", f"refused: {type(exc).__name__}"
        except ET.ParseError as exc:
            return "syntax", f"not well-formed XML ({exc})"
        except OSError as exc:
            return "validation", f"could not be read ({exc.strerror})"
        self.parsed.tool = tool or self.parsed.tool
        if patterns:
            self.parsed.ignore = list(dict.fromkeys([*DEFAULT_IGNORE, *patterns]))
        return None

    def _generations(self) -> tuple[list[Path], list[tuple[str, str]] | None]:
        """The generation files in order, those whose chain entry does not match left out, and
        the chain's links (name, C4 ID) of those used (None without a chain)."""
        mhl_dir = self.folder / MHL_DIR
        found = {}
        for path in sorted(mhl_dir.iterdir()):
            match = _GENERATION.match(path.name)
            if match is not None and path.is_file():
                found[path.name] = int(match.group(1))
        chain = self._chain()
        if chain is None:
            return [mhl_dir / name for name in sorted(found, key=found.__getitem__)], None
        usable = []
        for name, c4 in chain:
            if name not in found:
                self.checks.malformed("validation", f"generation {name} listed in the "
                                      "chain is missing")
                continue
            try:
                intact = c4_of_file(mhl_dir / name, _CHUNK) == c4
            except OSError:
                intact = False
            if not intact:
                self.checks.malformed("validation", f"generation {name} was altered after "
                                      "it was written (its C4 ID differs from the chain's)")
                continue
            usable.append((name, c4))
        for name in sorted(set(found) - {name for name, _ in chain}):
            self.checks.malformed("validation", f"generation {name} is not listed in the "
                                  "chain; it was not used")
        usable.sort(key=lambda link: found[link[0]])
        return [mhl_dir / name for name, _c4 in usable], usable

    def _chain(self) -> list[tuple[str, str]] | None:
        path = self.folder / MHL_DIR / CHAIN_FILE
        if not path.is_file():
            self.checks.malformed("validation", f"the history has no {CHAIN_FILE}; its "
                                  "generations could not be checked")
            return None
        root = self._parse_chain(path)
        if root is None:
            return None
        links = []
        for link in root.iter(f"{_CHAIN_NS}hashlist"):
            name = (link.findtext(f"{_CHAIN_NS}path") or "").strip()
            c4 = (link.findtext(f"{_CHAIN_NS}c4") or "").strip()
            if "/" in name or "\\" in name or not _GENERATION.match(name):
                self.checks.malformed("syntax", f"{CHAIN_FILE} names {name[:100]!r}, not a "
                                      "generation file of this folder")
                continue
            links.append((name, c4))
        return links

    def _parse_chain(self, path: Path) -> ET.Element | None:
        try:
            data = path.read_bytes()
            return SafeET.fromstring(data, forbid_dtd=True)
        except defusedxml.DefusedXmlException as exc:
            self.checks.malformed("entities", f"{path.name}: refused: {type(exc).__name__}")
        except ET.ParseError as exc:
            self.checks.malformed("syntax", f"{path.name}: not well-formed XML ({exc})")
        return None

    def _problem(self, path: Path, problem: str, detail: str) -> None:
        self.collector.malformed(problem, f"{path.name}: {detail}")

    def _hash(self, element: ET.Element, generation: str) -> None:
        """What one `<hash>` says, into the collector."""
        path = element.find(f"{_NS}path")
        if path is None or not path.text:
            self.collector.malformed("syntax", f"{generation}: a <hash> without a <path>")
            return
        relative = self.collector.path(path.text)
        if relative is None:
            return
        previous = element.findtext(f"{_NS}previousPath")
        if previous and (old := self.collector.path(previous)) is not None:
            self.collector.move(old, relative)
        size = _int(path.get("size"))
        for child in element:
            tag = child.tag
            algorithm = _FORMATS.get(tag.removeprefix(_NS))
            if algorithm is None or child.get("action") == "failed":
                continue
            value = (child.text or "").strip()
            if tag == f"{_NS}c4":
                value = c4_to_sha512(value) or value
            digest = self.collector.digest(algorithm, value)
            if digest is not None:
                self.collector.add(relative, algorithm, digest, size)


@dataclass
class _Parsed:
    """What the generations read so far say: their entries, the latest tool and ignore
    patterns (what the history cache keeps)."""

    collector: EntryCollector
    tool: str | None = None
    ignore: list[str] = field(default_factory=lambda: list(DEFAULT_IGNORE))


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

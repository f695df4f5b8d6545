"""ASC MHL v2.0 XML: generation files (`<hashlist>`) and the chain (`<ascmhldirectory>`).

Element order follows the XSDs of ASC MHL v2.0. Digests the schema has no element for
(blake3, sha256) travel in the per-file `<metadata>` element, which the schema types as
`anyType`, as `<wb:digest algorithm="blake3">` in the Case Workbench namespace; the
reference tool ignores them and schema validation accepts them. A name XML cannot hold
(control characters, bytes that are not UTF-8) is written as `shown_names.shown` shows
it, so the file stays well-formed and the reference tool reports that one file as unknown.
"""

from __future__ import annotations

import functools
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from workbench.evidence.mhl_format.model import MhlEntry, MhlGeneration, MhlProcess
from workbench.hashing.algorithms import SPECS
from workbench.shown_names import shown

ASC_NS = "urn:ASC:MHL:v2.0"
"""Namespace of generation files."""
DIRECTORY_NS = "urn:ASC:MHL:DIRECTORY:v2.0"
"""Namespace of the chain file."""
WORKBENCH_NS = "urn:case-workbench:mhl:1"
"""Namespace of the digests ASC MHL has no element for (inside `<metadata>`)."""
_SCHEMA_ORDER = ("c4", "md5", "sha1", "xxh128", "xxh3", "xxh64")
"""The hash elements of the ASC MHL schema, in its order (a fact of the format)."""
MHL_HASH_FORMATS = tuple(
    name for name in _SCHEMA_ORDER
    if any(spec.mhl == algorithm == name for algorithm, spec in SPECS.items())
)
"""Our digests written as their own ASC MHL element (the table's `mhl`), in schema order;
every other one goes into `<metadata>`."""
TOOL_NAME = "Case Workbench"
"""The `<tool>` of every generation this package writes."""


def xml_datetime(moment: datetime) -> str:
    """An `xs:dateTime` in UTC with its offset; naive times are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = None if text is None else shown(text)
    return element


@functools.lru_cache(maxsize=64)
def _stamp(action: str, hashdate: str) -> str:
    return f" action={quoteattr(action)} hashdate={quoteattr(hashdate)}"


def _hash_xml(entry: MhlEntry, default_date: str) -> str:
    """One `<hash>` element, written directly: ElementTree's serialiser is too slow for
    tens of thousands of files (3 s for 20,000 here; this takes a tenth of it)."""
    hashdate = xml_datetime(entry.hashdate) if entry.hashdate else default_date
    stamps = {name: _stamp("verified" if name in entry.verified_against else entry.action,
                           hashdate) for name in entry.hashes}
    hashes = entry.hashes
    lines = [
        f'    <hash>\n      <path size="{entry.size:d}" lastmodificationdate='
        f'"{xml_datetime(entry.mtime)}">{escape(shown(entry.relative.as_posix()))}</path>\n'
    ]
    lines += [
        f"      <{name}{stamps[name]}>{escape(hashes[name])}</{name}>\n"
        for name in MHL_HASH_FORMATS
        if name in hashes
    ]
    extras = sorted(name for name in hashes if name not in MHL_HASH_FORMATS)
    if extras:
        lines.append("      <metadata>\n")
        lines += [
            f"        <wb:digest algorithm={quoteattr(name)}{stamps[name]}>"
            f"{escape(hashes[name])}</wb:digest>\n"
            for name in extras
        ]
        lines.append("      </metadata>\n")
    lines.append("    </hash>\n")
    return "".join(lines)


ENTRIES_PER_CHUNK = 1024
"""`<hash>` elements joined into one chunk of a streamed generation file."""


def hashlist_chunks(
    entries: Iterable[MhlEntry],
    *,
    process: MhlProcess,
    created: datetime,
    hostname: str,
    tool_version: str,
    ignore: Sequence[str],
    author: str | None = None,
    role: str | None = None,
    location: str | None = None,
    comment: str | None = None,
    metadata: bytes = b"",
) -> Iterator[bytes]:
    """The bytes of one generation file, in chunks, each entry turned into XML only when its
    chunk is written (a generation of 200,000 files is never in memory at once); no
    `<hashes>` element when `entries` is empty. `metadata` is the generation's top-level
    `<metadata>` element (the digests of the case folder's record), written after them."""
    root = ET.Element("hashlist", {"version": "2.0", "xmlns": ASC_NS, "xmlns:wb": WORKBENCH_NS})
    creator = _child(root, "creatorinfo")
    _child(creator, "creationdate", xml_datetime(created))
    _child(creator, "hostname", hostname)
    _child(creator, "tool", TOOL_NAME, version=tool_version)
    if author or role:
        _child(creator, "author", author, **({"role": role} if role else {}))
    if location:
        _child(creator, "location", location)
    if comment:
        _child(creator, "comment", comment)
    process_info = _child(root, "processinfo")
    _child(process_info, "process", process)
    patterns = _child(process_info, "ignore")
    for pattern in ignore:
        _child(patterns, "pattern", pattern)
    document = _serialise(root)
    found = iter(entries)
    chunk = list(itertools.islice(found, ENTRIES_PER_CHUNK))
    if not chunk:
        yield document
        return
    head, tail = document.rsplit(b"</hashlist>", 1)
    default_date = xml_datetime(created)
    yield head + b"  <hashes>\n"
    while chunk:
        yield "".join(_hash_xml(entry, default_date) for entry in chunk).encode()
        chunk = list(itertools.islice(found, ENTRIES_PER_CHUNK))
    yield b"  </hashes>\n" + metadata + b"</hashlist>" + tail


def chain_xml(generations: Sequence[MhlGeneration]) -> bytes:
    """The bytes of the chain file listing `generations`."""
    root = ET.Element("ascmhldirectory", {"xmlns": DIRECTORY_NS})
    for generation in generations:
        link = _child(root, "hashlist", sequencenr=str(generation.number))
        _child(link, "path", generation.name)
        _child(link, "c4", generation.c4)
    return _serialise(root)


def parse_chain(data: bytes) -> list[MhlGeneration]:
    """The generations listed in a chain file. Raises `ET.ParseError` or `ValueError`."""
    root = ET.fromstring(data)
    if root.tag != f"{{{DIRECTORY_NS}}}ascmhldirectory":
        raise ValueError(f"the root element is {root.tag}, not ascmhldirectory")
    links = []
    for link in root.iter(f"{{{DIRECTORY_NS}}}hashlist"):
        links.append(
            MhlGeneration(
                number=int(link.get("sequencenr", "")),
                name=link.findtext(f"{{{DIRECTORY_NS}}}path", "").strip(),
                c4=link.findtext(f"{{{DIRECTORY_NS}}}c4", "").strip(),
            )
        )
    return links


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"

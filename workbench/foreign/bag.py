"""BagIt bags (RFC 8493): the payload and tag manifests read as expectations, the bag's
structure (bagit.txt, Payload-Oxum, completeness) validated by bagit-python without a second
read of the files. Paths are relative to the bag folder."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bagit

from workbench.foreign.checksums import read_bag_manifest
from workbench.foreign.entries import EntryCollector
from workbench.foreign.reader import RecordReader
from workbench.foreign.types import RecordRef, RecordSet
from workbench.hashing.algorithms import names_in

_MANIFEST = re.compile(r"^(tag)?manifest-([a-z0-9]+)\.txt$")
_ALGORITHMS = names_in("bagit")
_COMPLETENESS = (bagit.FileMissing, bagit.UnexpectedFile)


def is_bag(folder: Path) -> bool:
    """Whether `folder` is a BagIt bag."""
    return (folder / "bagit.txt").is_file()


def read_bag(folder: Path) -> RecordSet:
    """The expectations of the bag at `folder`."""
    collector = EntryCollector(folder)
    unchecked: list[str] = []
    tag_manifests: list[Path] = []
    for path in sorted(folder.iterdir()):
        match = _MANIFEST.match(path.name)
        if match is None or not path.is_file():
            continue
        if match.group(1):
            tag_manifests.append(path)
        algorithm = _ALGORITHMS.get(match.group(2))
        if algorithm is None:
            unchecked.append(match.group(2))
            continue
        read_bag_manifest(path, algorithm, collector)
    for path in tag_manifests:
        collector.discard(path.name)  # never listed by a valid bag anyway
    _validate(folder, collector)
    ref = RecordRef(kind="bagit", path=folder, tool=_tool(folder), unchecked=unchecked)
    result = collector.result(ref, record_files=tag_manifests)
    if not result.entries and not collector.problems:
        collector.malformed("algorithm", "the bag has no manifest the workbench can check")
        result = collector.result(ref, record_files=tag_manifests)
    return result


def _validate(folder: Path, collector: EntryCollector) -> None:
    """bagit-python's checks of structure, Payload-Oxum and completeness (no hashing);
    completeness details are left to the audit's own missing / extra rows."""
    logging.getLogger("bagit").setLevel(logging.ERROR)
    try:
        bagit.Bag(str(folder)).validate(completeness_only=True)
    except bagit.BagValidationError as exc:
        details = [d for d in exc.details or [] if not isinstance(d, _COMPLETENESS)]
        if details or not exc.details:
            collector.malformed("validation", "; ".join(map(str, details)) or exc.message)
    except bagit.BagError as exc:
        collector.malformed("validation", str(exc))
    except UnicodeDecodeError as exc:  # a tag file in another encoding than it declares
        collector.malformed("encoding", f"a tag file is not in its declared encoding ({exc})")


def _tool(folder: Path) -> str | None:
    """The `Bag-Software-Agent` of bag-info.txt, when there is one."""
    try:
        text = (folder / "bag-info.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "bag-software-agent":
            return value.strip() or None
    return None


def _detect(path: Path) -> Path | None:
    """The bag `path` is, or whose `bagit.txt` it is."""
    if path.is_dir():
        return path if is_bag(path) else None
    return path.parent if path.name == "bagit.txt" else None


READER = RecordReader(kind="bagit", label="a BagIt bag", detect=_detect,
                      read=lambda record, _folder: read_bag(record), whole_folder=True)
"""BagIt bags (RFC 8493), checked with bagit-python."""

"""Keyframe images and the contact sheet: one labelled keyframe per clip, as one JPEG.

The keyframes themselves are decoded and shrunk by the probe's workers (the first keyframe of
each clip, nothing after it); here they are kept in one archive per analysis (a stored ZIP:
`_evidence/media/keyframes.zip` of a case folder or, for a source that must not be written
to, one in the workbench home's cache; any unzip tool opens it, and one file is far cheaper to
write than thousands) and laid out with Pillow.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbench.atomic import write_atomic

TILE_WIDTH = 240
"""Width of one tile of the contact sheet (and of the keyframe images), in pixels."""
TILE_IMAGE_HEIGHT = 135
"""Height of the picture part of a tile (16:9)."""


@dataclass(frozen=True)
class Tile:
    """One clip on the sheet: its keyframe JPEG (None: none decoded) and two label lines."""

    image: bytes | None
    title: str
    caption: str
    problem: str | None = None


@dataclass(frozen=True)
class ContactSheet:
    """The sheet as JPEG bytes (photographs: a tenth of a PNG's encoding time at the same
    size); shown inline in a notebook, saved with `.save(path)`."""

    jpeg: bytes
    width: int
    height: int
    clips: int
    columns: int

    def _repr_jpeg_(self) -> bytes:
        return self.jpeg

    def save(self, path: str | Path) -> Path:
        """Write the JPEG (atomically) and return its path."""
        target = Path(path)
        write_atomic(target, self.jpeg)
        return target

    def __repr__(self) -> str:
        return (f"<ContactSheet: {self.clips} clip{'s' * (self.clips != 1)}, "
                f"{self.columns} columns, {self.width}x{self.height} px>")


def thumbnail_name(relative: PurePosixPath) -> str:
    """A stable, safe member name for the keyframe image of `relative`."""
    digest = hashlib.sha256(relative.as_posix().encode("utf-8", "surrogateescape")).hexdigest()
    return f"{digest[:24]}.jpg"


class KeyframeArchive:
    """Writes keyframe JPEGs into a new stored ZIP beside `path`, which replaces `path` when
    closed (readers of the old one never see a half-written archive). Derived data: not
    fsynced, made again by the next probe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        self._zip = zipfile.ZipFile(self._partial, "w", zipfile.ZIP_STORED)

    def add(self, relative: PurePosixPath, jpeg: bytes) -> str:
        """Store the keyframe of `relative`; returns its member name."""
        name = thumbnail_name(relative)
        self._zip.writestr(name, jpeg)
        return name

    def close(self) -> None:
        """Finish the archive and put it in place."""
        self._zip.close()
        self._partial.replace(self.path)

    def discard(self) -> None:
        """Drop the unfinished archive (the old one, if any, stays)."""
        self._zip.close()
        self._partial.unlink(missing_ok=True)


def read_keyframes(path: Path | None, names: list[str | None]) -> list[bytes | None]:
    """The JPEGs stored as `names` in the archive at `path` (None where one is missing)."""
    if path is None:
        return [None] * len(names)
    try:
        with zipfile.ZipFile(path) as archive:
            present = set(archive.namelist())
            return [archive.read(name) if name in present else None for name in names]
    except (OSError, zipfile.BadZipFile):  # gone or damaged since: clips without keyframes
        return [None] * len(names)


__all__ = [
    "ContactSheet", "KeyframeArchive", "Tile", "read_keyframes", "thumbnail_name",
]

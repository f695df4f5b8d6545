"""Keyframe images and the contact sheet: one labelled keyframe per clip, as one JPEG.

The keyframes themselves are decoded and shrunk by the probe's workers (the first keyframe of
each clip, nothing after it); here they are kept in one archive per analysis (a stored ZIP:
`_evidence/media/keyframes.zip` of a case folder or, for a source that must not be written
to, one in the workbench home's cache; any unzip tool opens it, and one file is far cheaper to
write than thousands) and laid out with Pillow.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

import matplotlib
from PIL import Image, ImageDraw, ImageFont, ImageOps

from workbench.atomic import write_atomic
from workbench.evidence.shown_names import shown

TILE_WIDTH = 240
"""Width of one tile of the contact sheet (and of the keyframe images), in pixels."""
TILE_IMAGE_HEIGHT = 135
"""Height of the picture part of a tile (16:9)."""
SHEET_QUALITY = 90
"""JPEG quality of the contact sheet (labels stay crisp)."""
_LABEL_HEIGHT = 34
_PAD = 8
_PROBLEM_RED = (198, 40, 40)
_PLACEHOLDER = (228, 230, 233)
_INK = (27, 31, 36)
_MUTED = (91, 100, 112)


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


def compose_sheet(tiles: list[Tile], columns: int = 4) -> ContactSheet:
    """Lay `tiles` out in rows of `columns`; a clip without a keyframe gets a grey tile with
    its problem, and a clip with a problem a red frame."""
    columns = max(1, min(columns, len(tiles) or 1))
    rows = max(1, -(-len(tiles) // columns))
    cell_w, cell_h = TILE_WIDTH + _PAD, TILE_IMAGE_HEIGHT + _LABEL_HEIGHT + _PAD
    sheet = Image.new("RGB", (columns * cell_w + _PAD, rows * cell_h + _PAD), "white")
    draw = ImageDraw.Draw(sheet)
    if not tiles:
        draw.text((_PAD, _PAD), "No video clips.", fill=_MUTED, font=_font(13))
    for index, tile in enumerate(tiles):
        x = _PAD + (index % columns) * cell_w
        y = _PAD + (index // columns) * cell_h
        _tile(sheet, draw, tile, x, y)
    buffer = io.BytesIO()
    sheet.save(buffer, format="JPEG", quality=SHEET_QUALITY)
    return ContactSheet(buffer.getvalue(), sheet.width, sheet.height, len(tiles), columns)


def _tile(sheet: Image.Image, draw: ImageDraw.ImageDraw, tile: Tile, x: int, y: int) -> None:
    box = (x, y, x + TILE_WIDTH - 1, y + TILE_IMAGE_HEIGHT - 1)
    picture = _open(tile.image)
    if picture is None:
        draw.rectangle(box, fill=_PLACEHOLDER)
        text = tile.problem or "no keyframe"
        draw.text((x + TILE_WIDTH // 2, y + TILE_IMAGE_HEIGHT // 2), text, anchor="mm",
                  fill=_PROBLEM_RED if tile.problem else _MUTED, font=_font(13))
    else:
        if picture.width > TILE_WIDTH or picture.height > TILE_IMAGE_HEIGHT:
            picture = ImageOps.contain(picture, (TILE_WIDTH, TILE_IMAGE_HEIGHT))
        sheet.paste(picture, (x + (TILE_WIDTH - picture.width) // 2,
                              y + (TILE_IMAGE_HEIGHT - picture.height) // 2))
    if tile.problem:
        draw.rectangle(box, outline=_PROBLEM_RED, width=3)
    label_y = y + TILE_IMAGE_HEIGHT + 3
    draw.text((x, label_y), _fit(shown(tile.title), 12), fill=_INK, font=_font(12))
    caption = shown(tile.caption) + (f" — {tile.problem}" if tile.problem else "")
    draw.text((x, label_y + 15), _fit(caption, 11), font=_font(11),
              fill=_PROBLEM_RED if tile.problem else _MUTED)


def _open(jpeg: bytes | None) -> Image.Image | None:
    if jpeg is None:
        return None
    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            picture: Image.Image = image.convert("RGB")
            return picture
    except (OSError, ValueError):  # gone or damaged since the probe: shown as no keyframe
        return None


def _fit(text: str, size: int) -> str:
    """`text` shortened with an ellipsis to fit one tile's width."""
    font = _font(size)
    length = font.getlength(text)
    if length <= TILE_WIDTH:
        return text
    keep = int(len(text) * TILE_WIDTH / length)  # a first guess from the average width
    while keep > 0 and font.getlength(text[:keep] + "…") > TILE_WIDTH:
        keep -= 1
    return text[:keep] + "…"


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans from matplotlib's own data (any Unicode name shows), at `size` pixels."""
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size)


__all__ = [
    "ContactSheet", "KeyframeArchive", "Tile", "compose_sheet", "read_keyframes",
    "thumbnail_name",
]

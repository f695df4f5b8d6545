"""The contact sheet laid out with Pillow: one labelled keyframe per clip, as one JPEG.

Pillow (and matplotlib's DejaVu font) load only when a sheet is drawn.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from PIL import Image, ImageDraw, ImageFont, ImageOps

from workbench.media.keyframes.thumbnails import TILE_IMAGE_HEIGHT, TILE_WIDTH, ContactSheet, Tile
from workbench.shown_names import shown

SHEET_QUALITY = 90
"""JPEG quality of the contact sheet (labels stay crisp)."""
_LABEL_HEIGHT = 34
_PAD = 8
_PROBLEM_RED = (198, 40, 40)
_PLACEHOLDER = (228, 230, 233)
_INK = (27, 31, 36)
_MUTED = (91, 100, 112)


def compose_sheet(tiles: list[Tile], columns: int = 4) -> ContactSheet:
    """Lay `tiles` out in rows of `columns`; a clip without a keyframe gets a grey tile with
    its problem, and a clip with a problem a red frame."""
    columns = max(1, min(columns, len(tiles) or 1))
    rows = max(1, -(-len(tiles) // columns))
    cell_w, cell_h = TILE_WIDTH + _PAD, TILE_IMAGE_HEIGHT + _LABEL_HEIGHT + _PAD
    sheet = Image.new("RGB", (columns * cell_w + _PAD, rows * cell_h + _PAD), "white")
    draw = ImageDraw.Draw(sheet)
    if not tiles:
        draw.text((_PAD, _PAD), "No video clips.", fill=_MUTED, font=label_font(13))
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
                  fill=_PROBLEM_RED if tile.problem else _MUTED, font=label_font(13))
    else:
        if picture.width > TILE_WIDTH or picture.height > TILE_IMAGE_HEIGHT:
            picture = ImageOps.contain(picture, (TILE_WIDTH, TILE_IMAGE_HEIGHT))
        sheet.paste(picture, (x + (TILE_WIDTH - picture.width) // 2,
                              y + (TILE_IMAGE_HEIGHT - picture.height) // 2))
    if tile.problem:
        draw.rectangle(box, outline=_PROBLEM_RED, width=3)
    label_y = y + TILE_IMAGE_HEIGHT + 3
    draw.text((x, label_y), _fit(shown(tile.title), 12), fill=_INK, font=label_font(12))
    caption = shown(tile.caption) + (f" — {tile.problem}" if tile.problem else "")
    draw.text((x, label_y + 15), _fit(caption, 11), font=label_font(11),
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
    font = label_font(size)
    length = font.getlength(text)
    if length <= TILE_WIDTH:
        return text
    keep = int(len(text) * TILE_WIDTH / length)  # a first guess from the average width
    while keep > 0 and font.getlength(text[:keep] + "…") > TILE_WIDTH:
        keep -= 1
    return text[:keep] + "…"


@lru_cache(maxsize=8)
def label_font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans from matplotlib's own data (any Unicode name shows), at `size` pixels."""
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size)

"""The pictures of the timeline video: tiles in a grid, the clocks burnt in, slates over gaps,
damaged clips marked (Pillow and NumPy)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from PIL import Image, ImageDraw

from workbench.media.keyframes.sheet import label_font as font

SLATE = (38, 42, 48)
"""Background of a slate (no recording)."""
DAMAGED = (198, 40, 40)
"""Frame and label colour of a damaged clip."""
INK = (255, 255, 255)
BANNER = 22
"""Pixels of the banner above the grid that carries the real clock."""


def grid(count: int) -> tuple[int, int]:
    """(columns, rows) of a near-square grid of `count` tiles."""
    columns = max(1, int(np.ceil(np.sqrt(count))))
    return columns, max(1, -(-count // columns))


def canvas(count: int, tile: tuple[int, int]) -> np.ndarray:
    """An empty frame for `count` tiles of `tile` size under the banner (even sizes)."""
    columns, rows = grid(count)
    width, height = columns * tile[0], rows * tile[1] + BANNER
    return np.zeros((height + height % 2, width + width % 2, 3), np.uint8)


def place(frame: np.ndarray, index: int, count: int, picture: np.ndarray) -> None:
    """Put tile `index`'s picture (already tile-sized) in its cell."""
    columns, _ = grid(count)
    height, width = picture.shape[:2]
    x, y = (index % columns) * width, BANNER + (index // columns) * height
    frame[y:y + height, x:x + width] = picture


def slate(tile: tuple[int, int], lines: list[str]) -> np.ndarray:
    """A slate: dark, with `lines` centred."""
    image = Image.new("RGB", tile, SLATE)
    draw = ImageDraw.Draw(image)
    size = max(9, tile[1] // 12)
    y = tile[1] // 2 - len(lines) * (size + 2) // 2
    for line in lines:
        width = draw.textlength(line, font=font(size))
        draw.text(((tile[0] - width) / 2, y), line, fill=INK, font=font(size))
        y += size + 2
    return np.asarray(image)


def label(picture: np.ndarray, camera: str, recorder: datetime | None, problem: str | None
          ) -> np.ndarray:
    """The tile's camera and recorder clock burnt in (a damaged clip framed and named)."""
    image = Image.fromarray(picture)
    draw = ImageDraw.Draw(image)
    size = max(9, image.height // 14)
    text = f"{camera}  DVR {recorder:%Y-%m-%d %H:%M:%S}" if recorder else camera
    draw.rectangle((0, image.height - size - 6, image.width, image.height), fill=(0, 0, 0))
    draw.text((4, image.height - size - 4), text, fill=INK, font=font(size))
    if problem is not None:
        draw.rectangle((0, 0, image.width - 1, image.height - 1), outline=DAMAGED, width=3)
        draw.text((6, 4), f"DAMAGED CLIP ({problem})", fill=DAMAGED, font=font(size))
    return np.asarray(image)


def banner(frame: np.ndarray, real: datetime, note: str) -> None:
    """The real clock (and what the video is) across the top."""
    image = Image.fromarray(frame[:BANNER])
    draw = ImageDraw.Draw(image)
    draw.text((6, 3), f"REAL {real:%Y-%m-%d %H:%M:%S}  ·  {note}", fill=INK, font=font(12))
    frame[:BANNER] = np.asarray(image)


__all__ = ["BANNER", "banner", "canvas", "grid", "label", "place", "slate"]

"""Keyframe images of an analysis (one stored ZIP) and the contact sheet laid out from them.

The sheet's drawing (`keyframes.sheet`: Pillow, matplotlib's font) loads only when a sheet is
drawn; this package's surface is the archive and the sheet's types."""

from workbench.media.keyframes.thumbnails import (
    TILE_IMAGE_HEIGHT,
    TILE_WIDTH,
    ContactSheet,
    KeyframeArchive,
    Tile,
    read_keyframes,
    thumbnail_name,
)

__all__ = [
    "TILE_IMAGE_HEIGHT",
    "TILE_WIDTH",
    "ContactSheet",
    "KeyframeArchive",
    "Tile",
    "read_keyframes",
    "thumbnail_name",
]

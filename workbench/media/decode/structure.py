"""Cheap checks of a container's own structure that tell a cut-short file from a foreign one.

They read a few header bytes (never the payload): the top-level boxes of an MP4 / QuickTime
file (ISO BMFF), the trailer of the last frame of a Dahua `.dav` (DHAV) file.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, NamedTuple

ISO_BOXES = frozenset({
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"pnot", b"moof", b"mfra",
    b"meta", b"styp", b"sidx", b"pdin", b"junk",
})
"""Top-level box types of ISO BMFF files (MP4, MOV, 3GP)."""
MAX_BOXES = 4096
"""Top-level boxes walked at most (a valid file has a handful)."""
DHAV_TRAILER = b"dhav"
"""Last 8 bytes of every DHAV frame: `dhav` and the frame's length."""


class Damage(NamedTuple):
    """What is missing from a cut-short file."""

    detail: str
    expected_size: int | None


def iso_bmff_damage(handle: BinaryIO, size: int) -> Damage | None:
    """For a file that starts like ISO BMFF: the box that runs past the end, or the missing
    `moov` index; None when the top level is whole (or the file is not ISO BMFF at all)."""
    offset, seen = 0, set()
    for _ in range(MAX_BOXES):
        if offset + 8 > size:
            break
        handle.seek(offset)
        header = handle.read(16)
        if len(header) < 8:
            break
        length, kind = struct.unpack(">I4s", header[:8])
        if kind not in ISO_BOXES:
            return None if offset == 0 else Damage(
                f"unknown data where a box should start at byte {offset:,}", None)
        if length == 1 and len(header) == 16:
            length = struct.unpack(">Q", header[8:16])[0]
        elif length == 0:
            length = size - offset
        if length < 8:
            return Damage(f"box {kind.decode()} at byte {offset:,} has an invalid size", None)
        seen.add(kind)
        if offset + length > size:
            lost = "" if b"moov" in seen or kind == b"moov" else (
                "; the MP4 index (moov box) is missing")
            return Damage(
                f"box {kind.decode()} declares {length:,} bytes at byte {offset:,}, "
                f"but the file ends {offset + length - size:,} bytes early{lost}",
                offset + length,
            )
        offset += length
    if seen and b"moov" not in seen and b"moof" not in seen:
        return Damage("the MP4 index (moov box) is missing", None)
    return None


def dhav_damage(handle: BinaryIO, size: int) -> Damage | None:
    """For a DHAV file: whether its last frame ends with the `dhav` trailer."""
    if size < 8:
        return Damage("shorter than one frame", None)
    handle.seek(size - 8)
    tail = handle.read(8)
    if tail[:4] != DHAV_TRAILER:
        return Damage("the last frame is cut short (no dhav trailer)", None)
    return None


def looks_iso_bmff(head: bytes) -> bool:
    """Whether `head` (the first 8+ bytes) starts with an ISO BMFF box."""
    return len(head) >= 8 and head[4:8] in ISO_BOXES


__all__ = ["Damage", "dhav_damage", "iso_bmff_damage", "looks_iso_bmff"]

"""What an MP4 whose index (`moov`) was lost still holds: its `mdat` box is a run of
length-prefixed NAL units, which read as a raw H.264/HEVC stream once given start codes. A DVR
that repeats its parameter sets in the stream (most do) leaves a playable remainder; nothing is
guessed: the timestamps come from the stream's own declared rate, flagged, and the copy is
`partial` with the missing extent."""

from __future__ import annotations

import io
import struct

from workbench.conversion.remux.reader import HashingReader

_HEVC_TYPES = frozenset({32, 33, 34, 35, 39})
"""HEVC NAL types a stream starts with (VPS, SPS, PPS, AUD, SEI)."""


def mdat_extent(reader: HashingReader) -> tuple[int, int] | None:
    """(first payload byte, declared end) of the top-level `mdat` box of an ISO BMFF file
    without a `moov` box; None for anything else."""
    offset, found = 0, None
    while offset + 8 <= reader.size:
        reader.seek(offset)
        header = reader.read(16) or b""
        if len(header) < 8:
            break
        length, kind = struct.unpack(">I4s", header[:8])
        skip = 8
        if length == 1 and len(header) == 16:
            length, skip = struct.unpack(">Q", header[8:16])[0], 16
        elif length == 0:
            length = reader.size - offset
        if kind == b"moov" or length < skip:
            return None
        if kind == b"mdat":
            found = (offset + skip, offset + length)
        offset += length
    return found


class AnnexB(io.RawIOBase):
    """The NAL units of `reader[start:end]` (4-byte lengths) as an Annex-B stream, up to the
    last whole unit; `whole_end` is where that ends in the file."""

    def __init__(self, reader: HashingReader, start: int, end: int) -> None:
        super().__init__()
        self.reader, self.position, self.end = reader, start, min(end, reader.size)
        self.declared_end = end
        """Where the box says it ends (past the file's end when it was cut short)."""
        self.whole_end = start
        self.pending = b""

    def readable(self) -> bool:
        return True

    def codec(self) -> str:
        """h264 or hevc, from the first unit's header."""
        self.reader.seek(self.position + 4)
        first = (self.reader.read(1) or b"\0")[0]
        return "hevc" if (first >> 1) & 0x3F in _HEVC_TYPES and not first & 0x81 else "h264"

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while len(self.pending) < len(buffer) and self.position + 4 <= self.end:
            self.reader.seek(self.position)
            size = int.from_bytes(self.reader.read(4) or b"", "big")
            if size == 0 or self.position + 4 + size > self.end:
                self.position = self.end  # the rest is cut short
                break
            self.pending += b"\0\0\0\1" + (self.reader.read(size) or b"")
            self.position += 4 + size
            self.whole_end = self.position
        count = min(len(buffer), len(self.pending))
        buffer[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        return count


__all__ = ["AnnexB", "mdat_extent"]

"""A packet's codec payload, framing aside: H.264/HEVC as NAL units, whatever their framing.

Annex-B streams (`.dav`, MPEG-PS, raw `.264`) separate NAL units by start codes; MKV and MP4
store each with a length prefix. The same picture data therefore has different bytes in the
two containers, and a lossless remux is proven by comparing the NAL units themselves. Trailing
zero bytes of a unit are stuffing (`trailing_zero_8bits`), not data, and are dropped on both
sides. Every other codec's payload is compared as it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import xxhash

NAL_CODECS = frozenset({"h264", "hevc"})
"""Codecs whose packets are compared as NAL units."""
DIGEST_SIZE = 16
"""Bytes of each packet's payload digest (XXH3-128: it only compares a packet with its own copy
within one run, against accidents of muxing and of the disk, and hashes at memory speed; the
files themselves are identified by blake3)."""
_START = b"\x00\x00\x01"
VECTOR_FROM = 1 << 16
"""Packet size from which start codes are found by a vectorised scan (twice the speed of
`bytes.find` over a megabyte picture; slower to set up for a small packet)."""


def length_size(codec: str, extradata: bytes | None) -> int:
    """Bytes of each NAL unit's length prefix, from the stream's configuration record (avcC /
    hvcC); 0 for an Annex-B stream (no record, or one in Annex-B form). The framing belongs
    to the stream: a length prefix may well begin with the bytes of a start code."""
    if not extradata or extradata.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
        return 0
    if codec == "h264" and len(extradata) > 4:
        return (extradata[4] & 3) + 1
    if codec == "hevc" and len(extradata) > 21:
        return (extradata[21] & 3) + 1
    return 4


def nal_units(data: bytes, prefix: int) -> Iterator[memoryview]:
    """The NAL units of one packet: split at start codes when `prefix` is 0 (Annex-B), else
    by `prefix`-byte lengths; trailing zero bytes dropped."""
    view = memoryview(data)
    if prefix == 0:
        starts = start_codes(data)
        for start, following in zip(starts, [*starts[1:], len(data)], strict=True):
            yield _trimmed(view, data, start + 3, following)
        return
    offset = 0
    while offset + prefix <= len(data):
        size = int.from_bytes(data[offset:offset + prefix], "big")
        offset += prefix
        yield _trimmed(view, data, offset, min(offset + size, len(data)))
        offset += size


def start_codes(data: bytes) -> list[int]:
    """Where each Annex-B start code (00 00 01) of `data` begins. Two never overlap (the byte
    after one is 01, never a zero), so every match counts."""
    if len(data) >= VECTOR_FROM:
        import numpy as np  # only in the remux worker: `import workbench` stays without it

        array = np.frombuffer(data, np.uint8)
        ones = np.flatnonzero(array[2:] == 1)
        return list(ones[(array[ones] == 0) & (array[ones + 1] == 0)].tolist())
    found, starts = data.find(_START), []
    while found >= 0:
        starts.append(found)
        found = data.find(_START, found + 3)
    return starts


def _trimmed(view: memoryview, data: bytes, start: int, end: int) -> memoryview:
    while end > start and data[end - 1] == 0:
        end -= 1
    return view[start:end]


def payload_digest(data: bytes, codec: str, prefix: int) -> bytes:
    """The digest of a packet's payload: of its NAL units (each length-framed, so unit
    boundaries count) for H.264/HEVC, of its bytes for any other codec."""
    hasher = xxhash.xxh3_128()
    if codec in NAL_CODECS:
        for unit in nal_units(data, prefix):
            if len(unit):
                hasher.update(len(unit).to_bytes(4, "big"))
                hasher.update(unit)
    else:
        hasher.update(data)
    return hasher.digest()


__all__ = ["DIGEST_SIZE", "NAL_CODECS", "VECTOR_FROM", "length_size", "nal_units",
           "payload_digest", "start_codes"]

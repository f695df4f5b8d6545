"""The packet proof: what every packet of a stream copy is (stream, timestamps, payload digest),
kept compactly (a few dozen bytes a packet), and the first difference between two such logs."""

from __future__ import annotations

from array import array
from fractions import Fraction
from typing import Literal, NamedTuple

from workbench.conversion.remux.nal import DIGEST_SIZE

NO_TS = -(2**63)
"""A timestamp that is not there."""


def rescale(value: int, source: Fraction, target: Fraction) -> int:
    """`value` ticks of `source` in ticks of `target`, rounded to nearest, halves away from zero
    (FFmpeg's `av_rescale_q`, which the muxers use). Integer arithmetic: it runs for every
    packet, where building `Fraction`s cost more than the rest of the proof."""
    numerator = value * source.numerator * target.denominator
    denominator = source.denominator * target.numerator
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


class Difference(NamedTuple):
    """The first packet that differs, what differs, and the two values."""

    packet: int
    field: Literal["count", "stream", "payload", "pts", "dts"]
    expected: str
    actual: str


class PacketLog:
    """Every packet of some streams, in file order: stream position, pts, dts, payload digest."""

    __slots__ = ("digests", "dts", "pts", "streams")

    def __init__(self) -> None:
        self.streams = array("b")
        self.pts = array("q")
        self.dts = array("q")
        self.digests = bytearray()

    def __len__(self) -> int:
        return len(self.streams)

    def add(self, stream: int, pts: int | None, dts: int | None, digest: bytes) -> None:
        """One more packet."""
        self.streams.append(stream)
        self.pts.append(NO_TS if pts is None else pts)
        self.dts.append(NO_TS if dts is None else dts)
        self.digests += digest

    def digest(self, index: int) -> bytes:
        """Packet `index`'s payload digest."""
        return bytes(self.digests[index * DIGEST_SIZE:(index + 1) * DIGEST_SIZE])

    def first_difference(self, copy: PacketLog, source_bases: list[Fraction],
                         copy_bases: list[Fraction]) -> Difference | None:
        """Where `copy` (read back) first differs from this log (the source): stream, payload,
        pts, then dts (when both have one), each timestamp rescaled from the source's time
        base to the copy's; then the count. None: the same packets."""
        for i in range(min(len(self), len(copy))):
            stream = self.streams[i]
            if copy.streams[i] != stream:
                return Difference(i, "stream", str(stream), str(copy.streams[i]))
            if copy.digest(i) != self.digest(i):
                return Difference(i, "payload", self.digest(i).hex(), copy.digest(i).hex())
            timestamps: tuple[tuple[Literal["pts", "dts"], array[int], array[int]], ...] = (
                ("pts", self.pts, copy.pts), ("dts", self.dts, copy.dts))
            for field, mine, theirs in timestamps:
                if mine[i] == NO_TS or (field == "dts" and theirs[i] == NO_TS):
                    continue  # none in the source, or a container that stores no dts (MKV)
                expected = rescale(mine[i], source_bases[stream], copy_bases[stream])
                if theirs[i] != expected:
                    found = "none" if theirs[i] == NO_TS else str(theirs[i])
                    return Difference(i, field, str(expected), found)
        if len(self) != len(copy):
            return Difference(min(len(self), len(copy)), "count", str(len(self)), str(len(copy)))
        return None


def exact_in(value: int, source: Fraction, target: Fraction) -> bool:
    """Whether `value` ticks of `source` are a whole number of `target` ticks."""
    return (value * source.numerator * target.denominator) % (
        source.denominator * target.numerator) == 0


__all__ = ["NO_TS", "Difference", "PacketLog", "exact_in", "rescale"]

"""The packet proof itself: NAL units compare equal across framings and differ when one byte
does; timestamps are rescaled as FFmpeg does; a copy that differs names its first packet."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from conversion_helpers import DAV
from hypothesis import given
from hypothesis import strategies as st

from workbench.conversion.remux import PacketLog, length_size, nal_units, payload_digest, rescale
from workbench.conversion.remux.job import Clip, RemuxJob
from workbench.conversion.remux.nal import VECTOR_FROM, start_codes
from workbench.conversion.remux.worker import remux


def _escaped(payload: bytes) -> bytes:
    """`payload` as an encoder writes it into a NAL unit: 03 after two zeros before a byte
    <= 3 (emulation prevention), ending in the stop bit (never in 00)."""
    out, zeros = bytearray(), 0
    for byte in payload + b"\x80":
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


NAL = st.binary(min_size=1, max_size=64).map(_escaped)


@given(st.lists(NAL, min_size=1, max_size=8), st.sampled_from([3, 4]))
def test_annex_b_and_length_prefixed_units_digest_alike(units: list[bytes], code: int) -> None:
    start = b"\0" * (code - 3) + b"\0\0\1"
    annex_b = b"".join(start + unit for unit in units) + b"\0\0"  # trailing zero stuffing
    prefixed = b"".join(len(unit).to_bytes(4, "big") + unit for unit in units)
    assert [bytes(u) for u in nal_units(annex_b, 0)] == units
    assert [bytes(u) for u in nal_units(prefixed, 4)] == units
    assert payload_digest(annex_b, "h264", 0) == payload_digest(prefixed, "hevc", 4)


@given(st.lists(NAL, min_size=1, max_size=4), st.data())
def test_one_changed_byte_changes_the_digest(units: list[bytes], data: st.DataObject) -> None:
    prefixed = bytearray(b"".join(len(u).to_bytes(4, "big") + u for u in units))
    at = data.draw(st.integers(4, len(prefixed) - 1))
    if at in {sum(len(u) + 4 for u in units[:k]) + o for k in range(len(units))
              for o in range(4)}:
        return  # a length byte: that changes the framing, not only the payload
    before = payload_digest(bytes(prefixed), "h264", 4)
    prefixed[at] ^= 0x01
    assert payload_digest(bytes(prefixed), "h264", 4) != before


def test_length_size_comes_from_the_configuration_record() -> None:
    assert length_size("h264", None) == 0
    assert length_size("h264", b"\0\0\0\1\x67") == 0
    assert length_size("h264", bytes([1, 0x64, 0, 0x0a, 0xff, 0xe1])) == 4
    assert length_size("h264", bytes([1, 0x64, 0, 0x0a, 0xfd, 0xe1])) == 2


@given(st.integers(-(2**40), 2**40), st.sampled_from([(1, 90000), (1, 1000), (1001, 30000),
                                                       (1, 16384), (1, 1200000)]),
       st.sampled_from([(1, 1000), (1, 90000), (1, 16384)]))
def test_rescale_is_ffmpegs_nearest_halves_away_from_zero(
        value: int, source: tuple[int, int], target: tuple[int, int]) -> None:
    # libavutil's av_rescale_rnd(a, b, c, AV_ROUND_NEAR_INF) in integers
    b, c = source[0] * target[1], source[1] * target[0]
    expected = (value * b + c // 2) // c if value >= 0 else -((-value * b + c // 2) // c)
    assert rescale(value, Fraction(*source), Fraction(*target)) == expected


def test_first_difference_names_the_packet_and_field() -> None:
    base = [Fraction(1, 1000)]
    source, copy = PacketLog(), PacketLog()
    for i in range(5):
        source.add(0, i * 1000, None, bytes([i]) * 16)
        copy.add(0, i * 1000, i * 1000, bytes([i]) * 16)
    assert source.first_difference(copy, base, base) is None
    copy.pts[3] += 1
    assert source.first_difference(copy, base, base) == (3, "pts", "3000", "3001")
    copy.pts[3] -= 1
    copy.digests[2 * 16] ^= 1
    found = source.first_difference(copy, base, base)
    assert found is not None and (found.packet, found.field) == (2, "payload")
    source.add(0, 5000, None, b"\5" * 16)
    copy.digests[2 * 16] ^= 1
    assert source.first_difference(copy, base, base) == (5, "count", "6", "5")


def test_a_copy_changed_before_its_read_back_is_a_typed_mismatch(
        sample_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's proof catches a copy whose bytes changed between write and read-back."""
    from workbench.conversion.remux import worker

    real = worker._sync

    def tamper(paths: list[Path], point: int | None) -> None:
        (path,) = paths
        data = bytearray(path.read_bytes())
        marker = data.find(b"\x65\x88")  # the first IDR slice of the copy
        data[marker + 40] ^= 0xFF
        path.write_bytes(bytes(data))
        real(paths, point)

    monkeypatch.setattr(worker, "_sync", tamper)
    shutil.copy(sample_case / DAV, tmp_path / "clip.dav")
    partial = tmp_path / "clip.mkv.partial"
    result = remux(RemuxJob((Clip(str(tmp_path / "clip.dav"), "clip.dav", None, None, None,
                                  False),), str(partial), None, "mkv", False, {}))
    assert result.status == "mismatch" and result.error is not None
    assert result.error.type == "RemuxMismatch"
    assert (result.error.packet, result.error.field) == (0, "payload")


def test_the_worker_never_writes_over_an_existing_file(sample_case: Path, tmp_path: Path) -> None:
    """The copy is created exclusively: a file already at its path is a typed error, untouched."""
    shutil.copy(sample_case / DAV, tmp_path / "clip.dav")
    partial = tmp_path / "clip.mkv.partial"
    partial.write_bytes(b"someone else's")
    result = remux(RemuxJob((Clip(str(tmp_path / "clip.dav"), "clip.dav", None, None, None,
                                  False),), str(partial), None, "mkv", False, {}))
    assert result.status == "error" and result.error is not None
    assert result.error.type == "IoError" and "exists" in result.error.describe(), result.error
    assert partial.read_bytes() == b"someone else's"


@given(st.lists(st.binary(min_size=1, max_size=64), min_size=1, max_size=3),
       st.sampled_from([3, 4]), st.integers(0, 3))
def test_a_big_packet_splits_as_a_small_one_does(parts: list[bytes], code: int,
                                                 stuffing: int) -> None:
    """Above `VECTOR_FROM` the start codes are found by a vectorised scan: the same units."""
    start = b"\0" * (code - 3) + b"\0\0\1"
    units = [_escaped(part * (VECTOR_FROM // len(part) + 1)) for part in parts]
    annex_b = b"".join(start + unit + b"\0" * stuffing for unit in units)
    assert len(annex_b) >= VECTOR_FROM
    assert start_codes(annex_b) == [m.start() for m in re.finditer(b"(?=\0\0\1)", annex_b)]
    assert [bytes(u) for u in nal_units(annex_b, 0)] == units

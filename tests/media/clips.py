"""Clips shaped like real recorders' exports, made with PyAV (x264 / x265 inside its wheels):
tiny pictures, chosen frame times, raw elementary streams with and without VUI timing."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from workbench.media.decode.reduce import timestamp_digest

WIDTH, HEIGHT = 64, 48
TICKS = 90_000
"""Time base of the frame times given to `make_clip` (MPEG's 90 kHz)."""


def make_clip(path: Path, *, fps: int = 10, frames: int = 20, fmt: str | None = None,
              codec: str = "libx264", times: Callable[[int], int] | None = None,
              options: dict[str, str] | None = None, rotate: int | None = None) -> Path:
    """`frames` frames at `fps` (or at `times(i)` in 1/90,000 s), muxed as `fmt` (default:
    by suffix). `rotate`: a display matrix turning the picture this many degrees."""
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"preset": "ultrafast"} if codec == "libx264" else {}
        stream.options |= options or {}
        if rotate is not None:
            stream.metadata["rotate"] = str(rotate)
        for index in range(frames):
            picture = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
            picture[: HEIGHT // 2, : WIDTH // 4] = 255  # a white block top left
            picture[..., 1] = (index * 9) % 256
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            if times is not None:
                frame.pts, frame.time_base = times(index), Fraction(1, TICKS)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def raw_h264(path: Path, fps: int = 12, frames: int = 20, *, vui_timing: bool = True,
             sps: bool = True) -> Path:
    """A raw H.264 stream (`.264`); without VUI timing (the SPS rewritten without its VUI),
    or without any SPS at all."""
    make_clip(path, fps=fps, frames=frames, fmt="h264")
    if not vui_timing or not sps:
        data = path.read_bytes()
        units = data.split(b"\x00\x00\x00\x01")
        kept = []
        for unit in units:
            if unit and unit[0] & 0x1F == 7:
                if not sps:
                    continue
                unit = _without_vui(unit)
            kept.append(unit)
        path.write_bytes(b"\x00\x00\x00\x01".join(kept))
    return path


def raw_hevc(path: Path, fps: int = 15, frames: int = 20, *, vui_timing: bool = True) -> Path:
    """A raw HEVC stream (`.265`), with or without timing info (x265's own switch)."""
    params = "log-level=error" + ("" if vui_timing else ":vui-timing-info=0")
    options = {"x265-params": params}
    return make_clip(path, fps=fps, frames=frames, fmt="hevc", codec="libx265",
                     options=options)


def ffprobe_packets(path: Path) -> tuple[int, str]:
    """The packet count and timestamp digest of the first video stream, from `ffprobe`."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "packet=pts,dts", "-of", "json", str(path)],
        capture_output=True, check=True).stdout
    packets = json.loads(out).get("packets", [])
    lines = "".join(f"{p.get('pts', 'N/A')},{p.get('dts', 'N/A')}\n" for p in packets)
    return len(packets), timestamp_digest(lines.encode())


def ffprobe_stream(path: Path) -> dict[str, str]:
    """`ffprobe`'s fields of the first video stream."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_streams", "-of", "json",
         str(path)], capture_output=True, check=True).stdout
    streams: list[dict[str, str]] = json.loads(out)["streams"]
    return streams[0]


class _Bits:
    def __init__(self, data: bytes) -> None:
        self.bits = "".join(f"{byte:08b}" for byte in data)
        self.position = 0

    def u(self, count: int) -> int:
        value = int(self.bits[self.position:self.position + count] or "0", 2)
        self.position += count
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
        return (1 << zeros) - 1 + self.u(zeros)


def _without_vui(unit: bytes) -> bytes:
    """An x264 SPS (High profile, no scaling matrix) rewritten with no VUI at all, so it
    declares no timing: its bits up to the VUI flag, the flag cleared, the stop bit."""
    payload = unit[1:].replace(b"\x00\x00\x03", b"\x00\x00")
    bits = _Bits(payload)
    profile = bits.u(8)
    bits.u(16)
    bits.ue()
    if profile in (100, 110, 122, 244):
        assert bits.ue() == 1  # 4:2:0
        bits.ue()
        bits.ue()
        bits.u(1)
        assert bits.u(1) == 0  # no scaling matrix
    bits.ue()
    if bits.ue() == 0:
        bits.ue()
    for read in (bits.ue, lambda: bits.u(1), bits.ue, bits.ue):
        read()
    if bits.u(1) == 0:
        bits.u(1)
    bits.u(1)
    if bits.u(1):
        for _ in range(4):
            bits.ue()
    head = bits.bits[:bits.position] + "0" + "1"
    head += "0" * (-len(head) % 8)
    body = int(head, 2).to_bytes(len(head) // 8, "big")
    escaped = bytearray()
    zeros = 0
    for byte in body:
        if zeros >= 2 and byte <= 3:
            escaped.append(3)
            zeros = 0
        escaped.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return unit[:1] + bytes(escaped)


def write_all(folder: Path, makers: Sequence[tuple[str, Callable[[Path], Path]]]) -> Path:
    """Each `(relative, make)` made under `folder`."""
    for relative, make in makers:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)
    return folder

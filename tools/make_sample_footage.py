"""Make the bundled sample footage once: tiny real H.264 clips of two DVR cameras.

Run from the repository root with the development venv (PyAV's wheels carry libx264):

    .venv/bin/python tools/make_sample_footage.py

It writes `workbench/samples/footage/`, whose bytes are committed; the package never encodes.
CAM01 is a Dahua-style DVR writing `.dav` files at 1 fps (the DHAV container: every frame
carries the recorder's wall-clock time, which FFmpeg's `dhav` demuxer turns into an epoch
start time); CAM02 is an NVR writing MP4 at its 1/4 fps time-lapse setting. The clips cover
the demo case's window (2026-11-20 14:00-15:30, recorder clock) with one gap on CAM02, one
clip from the morning (outside the window) and one MP4 cut short (its `moov` index, written
last, is lost, as when an export is interrupted). The scene is still but for a figure walking
through every 10 minutes and the recorder's on-screen clock, so 30 minutes fit in ~100 KB.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "workbench" / "samples" / "footage"
WIDTH, HEIGHT = 192, 108
EVERY = {".dav": 1, ".mp4": 4}
"""Seconds between two frames, by container."""
KEYFRAME_SECONDS = 240
"""A keyframe every 4 minutes (what a seek lands on)."""
DAY = datetime(2026, 11, 20)
CLIPS: tuple[tuple[str, str, str, str], ...] = (
    # path, on-screen camera name, start, end (recorder clock)
    ("CAM01/ch01_20261120_140000_143000.dav", "CH01 ENTRANCE", "14:00:00", "14:30:00"),
    ("CAM01/ch01_20261120_143000_150000.dav", "CH01 ENTRANCE", "14:30:00", "15:00:00"),
    ("CAM01/ch01_20261120_150000_153000.dav", "CH01 ENTRANCE", "15:00:00", "15:30:00"),
    ("CAM02/NVR_ch2_main_20261120090000_20261120091000.mp4", "CH02 COUNTER", "09:00:00",
     "09:10:00"),
    ("CAM02/NVR_ch2_main_20261120140000_20261120142000.mp4", "CH02 COUNTER", "14:00:00",
     "14:20:00"),
    ("CAM02/NVR_ch2_main_20261120144000_20261120151000.mp4", "CH02 COUNTER", "14:40:00",
     "15:10:00"),
    ("CAM02/NVR_ch2_main_20261120151000_20261120153000.mp4", "CH02 COUNTER", "15:10:00",
     "15:30:00"),
)
TRUNCATED = "CAM02/NVR_ch2_main_20261120151000_20261120153000.mp4"
"""Cut to 60 % of its bytes: the MP4 index (`moov`) is gone."""


def x264(every: int) -> av.VideoCodecContext:
    """Small, seekable H.264: in-band SPS/PPS on every keyframe, no B-frames, cheap skips."""
    codec = av.CodecContext.create("libx264", "w")
    assert isinstance(codec, av.VideoCodecContext)
    rate = Fraction(1, every)
    codec.width, codec.height, codec.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    codec.time_base, codec.framerate = 1 / rate, rate
    keyint = KEYFRAME_SECONDS // every
    codec.options = {
        "preset": "veryslow",
        "crf": "34",
        "x264-params": f"keyint={keyint}:min-keyint={keyint}:scenecut=0:repeat-headers=1"
                       ":bframes=0:ref=1:weightp=0:aq-mode=0:mbtree=0:psy=0",
    }
    return codec


def scene(label: str) -> np.ndarray:
    """The still background of a camera: wall, floor, a door or a counter."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    image[...] = (150, 146, 138)
    image[yy > 70] = (96, 90, 84)
    image[...] = np.clip(image + ((xx // 12 + yy // 12) % 2)[..., None] * 6, 0, 255)
    if "ENTRANCE" in label:
        image[22:71, 120:152] = (70, 92, 120)
        image[24:69, 122:150] = (120, 160, 190)
    else:
        image[56:78, 20:110] = (120, 84, 52)
        image[52:57, 18:112] = (160, 120, 80)
    return image


def frames(label: str, start: datetime, seconds: int, every: int) -> Iterator[av.VideoFrame]:
    """One frame every `every` seconds (pts in those steps): the scene, a figure walking
    through every 10 minutes, the on-screen clock and camera name."""
    base = scene(label)
    font = ImageFont.load_default(size=9)
    for step, offset in enumerate(range(0, seconds, every)):
        pixels = base.copy()
        walk = (offset + start.minute * 60) % 600
        if walk < 12:
            x = 8 + walk * 14
            pixels[44:86, x:x + 12] = (40, 44, 60)
            pixels[34:45, x + 2:x + 10] = (210, 170, 140)
        image = Image.fromarray(pixels)
        draw = ImageDraw.Draw(image)
        draw.text((4, 2), f"{start + timedelta(seconds=offset):%Y-%m-%d %H:%M}",
                  fill=(255, 255, 255), font=font)
        draw.text((4, HEIGHT - 12), label, fill=(255, 255, 255), font=font)
        frame = av.VideoFrame.from_image(image).reformat(format="yuv420p")
        frame.pts = step
        yield frame


def encoded(label: str, start: datetime, seconds: int, every: int) -> Iterator[av.Packet]:
    codec = x264(every)
    for frame in frames(label, start, seconds, every):
        yield from codec.encode(frame)
    yield from codec.encode(None)


def write_mp4(path: Path, label: str, start: datetime, seconds: int, every: int) -> None:
    with av.open(str(path), "w", format="mp4") as out:
        out.metadata["creation_time"] = f"{start:%Y-%m-%dT%H:%M:%S}.000000Z"
        stream = out.add_stream("libx264", rate=Fraction(1, every))
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.codec_context.options = x264(every).options
        for frame in frames(label, start, seconds, every):
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def dhav_date(moment: datetime) -> int:
    """A DHAV frame's packed wall-clock time: 6 bits of years since 2000, then 4 of month,
    5 of day and hour, 6 of minute and second."""
    return ((moment.year - 2000) << 26 | moment.month << 22 | moment.day << 17
            | moment.hour << 12 | moment.minute << 6 | moment.second)


def dhav_frame(number: int, key: bool, channel: int, moment: datetime, millis: int,
               payload: bytes, fps: int) -> bytes:
    """One DHAV frame: the 24-byte header, extensions (size, codec and frame rate on
    keyframes), the H.264 Annex B payload and the `dhav` trailer with the frame's length."""
    ext = struct.pack("<B3xHH", 0x82, WIDTH, HEIGHT) + bytes([0x81, 0, 0x02, fps]) if key else b""
    length = 24 + len(ext) + len(payload) + 8
    head = b"DHAV" + bytes([0xFD if key else 0xFC, 0, channel, 0])
    head += struct.pack("<IIIHB", number, length, dhav_date(moment), millis % 65536, len(ext))
    head += bytes([sum(head) & 0xFF])
    return head + ext + payload + b"dhav" + struct.pack("<I", length)


def write_dav(path: Path, label: str, start: datetime, seconds: int, every: int) -> None:
    channel = int(label[2:4])
    with path.open("wb") as out:
        for number, packet in enumerate(encoded(label, start, seconds, every)):
            assert packet.pts is not None
            offset = packet.pts * every
            out.write(dhav_frame(number, packet.is_keyframe, channel,
                                 start + timedelta(seconds=offset), offset * 1000,
                                 bytes(packet), 1 // every))


def main() -> None:
    for path, label, first, last in CLIPS:
        start, end = (datetime.combine(DAY, datetime.strptime(t, "%H:%M:%S").time())
                      for t in (first, last))
        target = OUT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        seconds = int((end - start).total_seconds())
        every = EVERY[target.suffix]
        writer = write_dav if target.suffix == ".dav" else write_mp4
        writer(target, label, start, seconds, every)
        if path == TRUNCATED:
            data = target.read_bytes()
            target.write_bytes(data[: len(data) * 6 // 10])
        print(f"{target.stat().st_size:>8} {path}")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{total:>8} in all")


if __name__ == "__main__":
    main()

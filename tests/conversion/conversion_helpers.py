"""Helpers of the conversion tests: the real tools as oracles (`ffmpeg -f framemd5`,
`ffprobe`, `b3sum`), and clips made for a test."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import av

DAV = "DVR_EXPORT/CAM01/ch01_20261120_140000_143000.dav"
"""A whole sample clip in the case folder (H.264 in Dahua DHAV, 30 min at 1 fps)."""
MP4 = "DVR_EXPORT/CAM02/NVR_ch2_main_20261120140000_20261120142000.mp4"
"""A whole sample clip (H.264 in MP4, 20 min at 1/4 fps)."""
TRUNCATED = "DVR_EXPORT/CAM02/NVR_ch2_main_20261120151000_20261120153000.mp4"
"""The sample MP4 cut to 60 % of its bytes: its index (moov) is lost."""


def framemd5(path: Path) -> list[list[str]]:
    """Debian ffmpeg's decoded-frame checksums of the first video stream: one row per frame
    (pts, duration, size, md5), timestamps as stored (`-copyts`), every frame passed through
    (`-fps_mode passthrough`)."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-copyts", "-i", str(path), "-map", "0:v", "-fps_mode",
         "passthrough",
         "-f", "framemd5", "-"], capture_output=True, text=True, check=True)
    rows = [line.split(",") for line in done.stdout.splitlines() if not line.startswith("#")]
    return [[cell.strip() for cell in (row[2], row[3], row[4], row[5])] for row in rows]


def ffprobe_streams(path: Path) -> list[str]:
    """`codec_type/codec_name` of each stream, as Debian's ffprobe reads them."""
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of",
         "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    return [",".join(reversed(line.split(","))) for line in done.stdout.split()]


def subtitle_text(path: Path) -> str:
    """The subtitle track of `path` as SRT text, extracted by Debian's ffmpeg."""
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:s:0", "-f",
                           "srt", "-"], capture_output=True, text=True, check=True)
    return done.stdout


def b3sum_check(manifest: Path) -> str:
    """`b3sum --check` of a manifest, run in its folder (raises when a line fails)."""
    return subprocess.run(["b3sum", "--check", manifest.name], cwd=manifest.parent,
                          capture_output=True, text=True, check=True).stdout


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_h264(source: Path, target: Path, muxer: str = "h264") -> Path:
    """`source`'s H.264 as a raw Annex-B elementary stream (packets copied: no timestamps), or
    in another Annex-B container (`mpeg`: an MPEG program stream)."""
    with av.open(str(source)) as reader, av.open(str(target), "w", format=muxer) as writer:
        video = reader.streams.video[0]
        out = writer.add_stream_from_template(video)
        for packet in reader.demux(video):
            if packet.size:
                packet.stream = out
                writer.mux(packet)
    return target


def vp8_mkv(target: Path, frames: int = 5) -> Path:
    """A tiny MKV of VP8 video (libvpx, in PyAV's wheels), a codec MP4 cannot carry."""
    with av.open(str(target), "w", format="matroska") as writer:
        stream = writer.add_stream("libvpx", rate=1)
        stream.width, stream.height, stream.pix_fmt = 32, 16, "yuv420p"
        for number in range(frames):
            frame = av.VideoFrame(32, 16, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([number * 40]) * plane.buffer_size)
            frame.pts = number
            writer.mux(stream.encode(frame))
        writer.mux(stream.encode(None))
    return target

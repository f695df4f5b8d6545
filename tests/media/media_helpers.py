"""Helpers of the footage tests: names of sample clips, clips remuxed with other tags, a WAV,
and a snapshot of a folder's bytes and times (probing must change nothing)."""

from __future__ import annotations

import hashlib
import os
import wave
from pathlib import Path

import av

SAMPLE_MP4 = "CAM02/NVR_ch2_main_20261120140000_20261120142000.mp4"
"""A whole sample clip (H.264 in MP4, 20 minutes, 1/4 fps)."""
SAMPLE_DAV = "CAM01/ch01_20261120_140000_143000.dav"
"""A whole sample clip (H.264 in Dahua DHAV, 30 minutes, 1 fps)."""
TRUNCATED_MP4 = "CAM02/NVR_ch2_main_20261120151000_20261120153000.mp4"
"""The sample clip whose moov index was lost."""

Snapshot = dict[str, tuple[str, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder`: its SHA-256, size and mtime (ns)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[path.relative_to(folder).as_posix()] = (digest, info.st_size, info.st_mtime_ns)
    return found


def remux(source: Path, target: Path, metadata: dict[str, str]) -> Path:
    """`source`'s packets in a new MP4 carrying `metadata` (no encoding: packets are copied)."""
    with av.open(str(source)) as reader, av.open(str(target), "w", format="mp4") as writer:
        writer.metadata.update(metadata)
        video = reader.streams.video[0]
        out = writer.add_stream_from_template(video)
        for packet in reader.demux(video):
            if packet.dts is None:
                continue
            packet.stream = out
            writer.mux(packet)
    return target


def write_wav(path: Path, seconds: float = 1.0, rate: int = 8000) -> Path:
    """A mono 16-bit PCM WAV of silence (the standard library writes it; nothing encodes)."""
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"\0\0" * int(seconds * rate))
    return path


def set_mtime(path: Path, seconds: int = 1_700_000_000) -> None:
    """Give `path` a fixed modification time (so a change is visible)."""
    os.utime(path, (seconds, seconds))

"""Probe one file with PyAV: its container and streams, its first keyframe, its damage.

This runs inside a worker process of `workbench.media.workers.pool` (decoders are C code fed
untrusted files) and answers in plain types (`files.py`): no pydantic to load in a worker,
and Pillow only once a keyframe image is asked for (PyAV's `to_image` imports it).
It only reads: FFmpeg opens the file read-only, the structure checks read a few header
bytes, and nothing is written anywhere. The file's size and mtime are read before and after,
so a file that changes while it is read is reported, not described.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import av
import av.container
import av.stream
from av.video.reformatter import VideoReformatter

from workbench.media.decode.files import (
    Fields,
    MediaKind,
    ProbeRequest,
    ProbeResult,
    claimed_kind,
    os_problem,
    problem,
)
from workbench.media.decode.reduce import raw_fields
from workbench.media.decode.structure import Damage, dhav_damage, iso_bmff_damage, looks_iso_bmff
from workbench.media.decode.timing import RAW_FORMATS, stream_timing

NOT_MEDIA_FORMATS = frozenset({"tty"})
"""FFmpeg demuxers that take any text for media (ANSI art): such files are `other`."""
MAX_TAGS = 64
"""Container tags kept per file."""
MAX_TAG_CHARS = 1024
"""Characters kept of one tag's value (a 100 KB tag is shortened, with how much was cut)."""
FIRST_FRAME_PACKETS = 600
"""Packets read at most to find the first keyframe that decodes (never the whole file)."""
FIRST_FRAME_BYTES = 64 * 1024 * 1024
"""Bytes of packets read at most to find it."""
THUMBNAIL_QUALITY = 85
"""JPEG quality of keyframe images."""
_EPOCH = datetime(1970, 1, 1)
_SCALER = VideoReformatter()
"""One scaler per worker: it keeps its swscale context while clips share a picture size
(setting one up costs more than the scaling itself)."""


class _FirstFrame(NamedTuple):
    decodes: bool
    first_pts: Fraction | None
    jpeg: bytes | None
    problem: Fields | None


def probe_file(request: ProbeRequest) -> ProbeResult:
    """Probe one file; every expected failure is the probe's typed `problem`, never raised."""
    path = request.path
    try:
        before = Path(path).stat()
    except OSError as exc:
        found = os_problem(exc, path, "read")
        return ProbeResult({"kind": claimed_kind(path), "problem": found}, 0, 0, None)
    probe, jpeg = _probe(path, before.st_size, request.thumbnail_box)
    try:
        after = Path(path).stat()
    except OSError as exc:
        return ProbeResult(probe | {"problem": os_problem(exc, path, "read")}, before.st_size,
                           before.st_mtime_ns, None)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        changed = problem(
            "ChangedWhileRead", path=path, expected_size=before.st_size,
            actual_size=after.st_size, expected_mtime_ns=before.st_mtime_ns,
            actual_mtime_ns=after.st_mtime_ns,
        )
        return ProbeResult({"kind": probe["kind"], "problem": changed}, before.st_size,
                           before.st_mtime_ns, None)
    return ProbeResult(probe, before.st_size, before.st_mtime_ns, jpeg)


def _probe(path: str, size: int, box: tuple[int, int] | None) -> tuple[Fields, bytes | None]:
    if size == 0:
        kind = claimed_kind(path)
        return {"kind": kind, "problem": problem("NotMedia", path=path, detail="empty file")
                if kind != "other" else None}, None
    try:
        container = av.open(path, "r", metadata_errors="replace")
    except av.FFmpegError as exc:
        return _unreadable(path, size, str(exc.strerror or exc)), None
    except OSError as exc:
        return {"kind": claimed_kind(path), "problem": os_problem(exc, path, "read")}, None
    with container:
        name = container.format.name
        if name in NOT_MEDIA_FORMATS:
            return {"kind": "other"}, None
        fields = _fields(container)
        kind = _kind(container)
        video = container.streams.video[0] if container.streams.video else None
        first, timing = (_read_video(path, container, video, box, timed=kind == "video")
                         if video is not None else (None, None))
    if name in RAW_FORMATS:  # FFmpeg's 25 fps default (and what follows) is no fact
        fields |= raw_fields(timing)
    container_time = None
    if name == "dhav" and first is not None and first.first_pts is not None:
        container_time = _EPOCH + timedelta(seconds=float(first.first_pts))
    damage = _damage(path, name, size)
    found = first.problem if first is not None else None
    if damage is not None:
        found = problem("Truncated", path=path, detail=damage.detail, size=size,
                        expected_size=damage.expected_size)
    if kind == "other" and claimed_kind(path) != "other":  # named media, holds no A/V
        kind = claimed_kind(path)
        found = problem("NotMedia", path=path,
                        detail=f"its {name} container holds no audio or video")
    probe = {
        "kind": kind, **fields, "container_time": container_time,
        "timing": timing,
        "first_frame_decodes": None if first is None else first.decodes, "problem": found,
    }
    return probe, None if first is None else first.jpeg


def _fields(container: av.container.InputContainer) -> dict[str, object]:
    fields: dict[str, object] = {
        "container": container.format.name,
        "duration_s": None if container.duration is None else container.duration / 1e6,
        "bit_rate": container.bit_rate or None,
        "start_time_s": None if container.start_time is None else container.start_time / 1e6,
        "streams": [
            {"index": stream.index, "kind": stream.type,
             "codec": stream.codec_context.name if stream.codec_context else None}
            for stream in container.streams
        ],
        "tags": _tags(container.metadata),
    }
    creation = container.metadata.get("creation_time")
    if container.streams.video:
        video = container.streams.video[0]
        context = video.codec_context
        if context is not None:  # None: FFmpeg has no decoder for the stream's codec
            fields |= {
                "video_codec": context.name, "video_profile": context.profile,
                "width": context.width or None, "height": context.height or None,
            }
        fields |= {
            "avg_frame_rate": _rate(video.average_rate),
            "real_frame_rate": _rate(video.guessed_rate), "frame_count": video.frames or None,
        }
        creation = creation or video.metadata.get("creation_time")
    if container.streams.audio and container.streams.audio[0].codec_context is not None:
        audio = container.streams.audio[0].codec_context
        fields |= {"audio_codec": audio.name, "audio_rate": audio.sample_rate or None,
                   "audio_channels": audio.channels or None}
    fields["creation_time"] = _short(creation) if creation else None
    return fields


def _kind(container: av.container.InputContainer) -> MediaKind:
    name = container.format.name
    if container.streams.video:
        still = name == "image2" or name.endswith("_pipe")
        return "image" if still else "video"
    if container.streams.audio:
        return "audio"
    return "other"


class _FirstKeyframe:
    """Fed the video's packets in file order, decodes its first keyframe (non-key frames are
    skipped; nothing is decoded after it, nor past `FIRST_FRAME_PACKETS` / `_BYTES`)."""

    def __init__(self, path: str, video: av.stream.Stream,
                 box: tuple[int, int] | None) -> None:
        self.path, self.video, self.box = path, video, box
        self.first_pts: Fraction | None = None
        self.jpeg: bytes | None = None
        self.decoded = False
        self.detail = "no frame decodes"
        self.gave_up = False
        self.packets = self.read = 0
        self.context = video.codec_context
        if self.context is None:
            self.detail, self.gave_up = "FFmpeg has no decoder for this stream", True
        else:
            self.context.skip_frame = "NONKEY"
            self.context.thread_count = 1

    @property
    def done(self) -> bool:
        """Whether it needs no more packets."""
        return self.decoded or self.gave_up

    def feed(self, packet: av.Packet[Any]) -> None:
        """One packet of the stream (the last, empty one flushes the decoder)."""
        if self.first_pts is None and packet.pts is not None and packet.time_base:
            self.first_pts = packet.pts * packet.time_base
        if self.done:
            return
        self.packets += 1
        self.read += packet.size
        try:
            for frame in packet.decode():
                assert isinstance(frame, av.VideoFrame)
                self.jpeg = _jpeg(frame, self.box) if self.box else None
                self.decoded = True
                return
        except av.FFmpegError as exc:
            self.stop(str(exc.strerror or exc))
            return
        if self.packets >= FIRST_FRAME_PACKETS or self.read >= FIRST_FRAME_BYTES:
            self.stop(f"no keyframe decodes in the first {self.packets:,} packets")

    def stop(self, detail: str) -> None:
        """Give up decoding, saying why."""
        self.detail, self.gave_up = detail, True

    def result(self) -> _FirstFrame:
        """Whether it decoded, its time, its JPEG, or why not."""
        if self.decoded:
            return _FirstFrame(True, self.first_pts, self.jpeg, None)
        codec = {"codec": self.context.name} if self.context is not None else {}
        return _FirstFrame(False, self.first_pts, None, problem(
            "UndecodableStream", path=self.path, stream=self.video.index, **codec,
            detail=self.detail))


def _read_video(path: str, container: av.container.InputContainer, video: av.stream.Stream,
                box: tuple[int, int] | None, *, timed: bool
                ) -> tuple[_FirstFrame, Fields | None]:
    """One pass over the video's packets from the start: its first keyframe decoded (a JPEG
    of it fitted into `box` if asked) and, when `timed`, every packet's timestamps reduced
    (one open and one demux of the file, not two)."""
    first = _FirstKeyframe(path, video, box)
    timing = None
    try:
        if timed:
            timing = stream_timing(container, video, first.feed)
        else:
            for packet in container.demux(video):
                first.feed(packet)
                if first.done:
                    break
    except av.FFmpegError as exc:  # the demuxer gave up: what it read is all there is
        if not first.done:
            first.stop(str(exc.strerror or exc))
    return first.result(), timing


def _jpeg(frame: av.VideoFrame, box: tuple[int, int]) -> bytes:
    """The frame scaled by FFmpeg (swscale) to fit `box`, keeping its aspect, turned the way
    its display matrix says (a phone held upright), as a JPEG."""
    turn = round(frame.rotation / 90) % 4 * 90  # display-matrix side data: counterclockwise
    upright = turn in (90, 270)
    shown_width, shown_height = ((frame.height, frame.width) if upright
                                 else (frame.width, frame.height))
    scale = min(box[0] / shown_width, box[1] / shown_height)
    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
    rgb = _SCALER.reformat(frame, width=width, height=height, format="rgb24",
                           interpolation="AREA")  # box averaging: the right filter to shrink
    image = rgb.to_image()  # type: ignore[no-untyped-call]
    if turn:
        image = image.rotate(turn, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=THUMBNAIL_QUALITY)
    return buffer.getvalue()


def _unreadable(path: str, size: int, detail: str) -> Fields:
    """A file FFmpeg cannot open: cut short if its structure says so, else damaged media or
    not media at all (by its name)."""
    kind = claimed_kind(path)
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a plain read-only handle
            head = handle.read(16)
            damage: Damage | None = None
            if looks_iso_bmff(head):
                damage = iso_bmff_damage(handle, size)
            elif head.startswith((b"DHAV", b"DAHUA")):
                damage = dhav_damage(handle, size) or Damage("no whole frame", None)
    except OSError as exc:
        return {"kind": kind, "problem": os_problem(exc, path, "read")}
    if damage is not None:
        return {"kind": "video" if kind == "other" else kind, "problem": problem(
            "Truncated", path=path, detail=damage.detail, size=size,
            expected_size=damage.expected_size)}
    if kind == "other":
        return {"kind": "other"}
    return {"kind": kind, "problem": problem("NotMedia", path=path, detail=detail)}


def _damage(path: str, format_name: str, size: int) -> Damage | None:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a plain read-only handle
            if "mp4" in format_name or "mov" in format_name:
                return iso_bmff_damage(handle, size)
            if format_name == "dhav":
                return dhav_damage(handle, size)
    except OSError:
        return None
    return None


def _rate(rate: Fraction | None) -> float | None:
    return float(rate) if rate else None


def _short(value: str) -> str:
    if len(value) <= MAX_TAG_CHARS:
        return value
    return f"{value[:MAX_TAG_CHARS]}…[{len(value) - MAX_TAG_CHARS:,} more characters]"


def _tags(metadata: dict[str, str]) -> dict[str, str]:
    return {_short(key): _short(value) for key, value in list(metadata.items())[:MAX_TAGS]}


__all__ = ["probe_file"]

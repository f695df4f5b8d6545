"""One playable copy, made in a worker process: master clip(s) → `.partial` by stream copy
(PyAV: no decoding, no encoding), then read back cold and proven packet for packet.

Runs in the media room's worker pool (a demuxer fed a hostile clip may crash or hang: that
costs one worker). It writes only the `.partial` (and the `.srt` partial) it is given; the
parent publishes them under their final names, or removes them.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import av
import av.container
import av.stream
import numpy as np

from workbench.conversion.remux.clock import Cue, cues, srt_block
from workbench.conversion.remux.job import Clip, RemuxJob, RemuxResult
from workbench.conversion.remux.nal import length_size, payload_digest
from workbench.conversion.remux.output import BUFFER, WriteBehind
from workbench.conversion.remux.proof import PacketLog, exact_in, rescale
from workbench.conversion.remux.reader import CHUNK, HashingReader, sync_file
from workbench.conversion.remux.salvage import AnnexB, mdat_extent
from workbench.errors import (
    CodecNotCarried,
    ErrorPayload,
    HashMismatch,
    IoError,
    NotMedia,
    RemuxMismatch,
    payload_from_os_error,
)
from workbench.hashing import platform
from workbench.hashing.sync import open_sync_point, sync_filesystem

FORMATS = {"mkv": "matroska", "mp4": "mp4"}
"""FFmpeg's muxer for each container."""
COPIED_KINDS = ("video", "audio")
"""Stream kinds copied; any other (data, a DVR's private stream) is left out and noted."""
SUBTITLE_TIME_BASE = Fraction(1, 1000)
"""Time base of the clock subtitles."""
T = TypeVar("T")
_SRT_TEMPLATE = b"1\n00:00:00,000 --> 00:00:01,000\n.\n\n"
"""A one-cue SRT whose demuxed stream is the template of the clock subtitle track."""


class _RefusedError(Exception):
    def __init__(self, payload: ErrorPayload) -> None:
        super().__init__(payload.describe())
        self.payload = payload


class _Writer:
    """The output: copied streams (mapped by position), the clock track, the proof so far."""

    def __init__(self, job: RemuxJob) -> None:
        self.job = job
        self.file = WriteBehind(Path(job.partial))
        try:
            self.out = av.open(self.file, "w", format=FORMATS[job.container],
                               options=_muxer_options(job), buffer_size=BUFFER)
        except BaseException:
            self.file.close()
            raise
        self.out.metadata.update(job.metadata)
        self.streams: list[av.stream.Stream] = []
        self.codecs: list[str] = []
        self.bases: list[Fraction] = []
        self.subtitle: av.stream.Stream | None = None
        self.log = PacketLog()
        self.filled = 0
        self.exact = True
        self.notes: list[str] = []
        self.chapters: list[dict[str, Any]] = []
        self.srt = io.StringIO() if job.srt_partial else None
        self.cue_number = 0
        self.zero: float | None = None
        """Seconds on the copy's timeline of its first picture (where a player's clock is 0)."""
        self.end = 0.0
        """Seconds on the copy's timeline where the last packet ends."""

    def open_streams(self, clip: Clip, inputs: list[av.stream.Stream]) -> None:
        for stream in inputs:
            try:
                self.streams.append(self.out.add_stream_from_template(stream))
            except ValueError:
                raise _RefusedError(CodecNotCarried(path=clip.path, codec=stream.codec_context.name,
                                               container=self.job.container)) from None
            self.codecs.append(stream.codec_context.name)
            self.bases.append(Fraction(stream.time_base or SUBTITLE_TIME_BASE))
        if self.srt is None and self.job.clips[0].recorder_start is not None:
            template = av.open(io.BytesIO(_SRT_TEMPLATE), format="srt")
            self.subtitle = self.out.add_stream_from_template(template.streams[0])
            template.close()

    def copy(self, clip: Clip, number: int, inputs: list[av.stream.Stream], container: Any,
             reader: HashingReader) -> tuple[bool, int]:
        """Copy every packet of `inputs` (clip `number` of the job); (whether the demuxer
        stopped on damage, the offset where the readable packets end)."""
        position = {stream.index: n for n, stream in enumerate(inputs)}
        prefixes = [length_size(codec, stream.codec_context.extradata)
                    for codec, stream in zip(self.codecs, inputs, strict=True)]
        clock: Iterator[Cue] | None = None
        pending: Cue | None = None
        last_pts: list[int | None] = [None] * len(inputs)
        readable_end = 0
        damaged = False
        shift: list[int] | None = None
        packets = container.demux(inputs)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except av.error.FFmpegError as exc:
                self.notes.append(f"{clip.name}: reading stopped at a damaged packet ({exc})")
                damaged = True
                break
            if packet.size == 0:
                continue
            n = position[packet.stream.index]
            pts, dts = self._timestamps(packet, n, last_pts[n], inputs[n])
            first = shift is None
            if shift is None:
                shift = self._shift(clip, number, float(pts * self.bases[n]))
            pts, dts = pts + shift[n], (None if dts is None else dts + shift[n])
            if first:
                self.chapters.append({"start": float(pts * self.bases[n]), "title": clip.name})
            last_pts[n] = pts - shift[n]
            self.exact &= exact_in(pts, self.bases[n], self.streams[n].time_base or self.bases[n])
            self.log.add(n, pts, dts, payload_digest(bytes(packet), self.codecs[n],
                                                     prefixes[n]))
            if packet.pos is not None and packet.pos >= 0:
                readable_end = max(readable_end, packet.pos + packet.size)
            seconds = float(pts * self.bases[n])
            if n == 0 and clock is None and clip.recorder_start is not None:
                self.zero = seconds if self.zero is None else self.zero
                clock = cues(seconds, clip.recorder_start, clip.offset, float("inf"))
                pending = next(clock)
            while pending is not None and clock is not None and pending.start <= seconds:
                self._cue(pending)
                pending = next(clock)
            packet.pts, packet.dts = pts, dts
            packet.stream = self.streams[n]
            self.out.mux(packet)
            duration = float((packet.duration or 0) * self.bases[n])
            self.end = max(self.end, seconds + duration)
        while pending is not None and clock is not None and pending.start < self.end:
            self._cue(pending)
            pending = next(clock)
        return damaged, readable_end or reader.size

    def _shift(self, clip: Clip, number: int, first: float) -> list[int]:
        """Ticks added to each stream's timestamps for clip `number`, which starts at `first`
        seconds: none for the first clip, nor for one whose own timestamps follow the copy so
        far; else it starts where its recorder time says (without one, where the copy ends)."""
        if number == 0 or first >= self.end:
            return [0] * len(self.bases)
        target = self.end
        start = self.job.clips[0].recorder_start
        if clip.recorder_start is not None and start is not None and self.zero is not None:
            target = max(target, self.zero + (clip.recorder_start - start).total_seconds())
        self.notes.append(f"{clip.name}: timestamps shifted by {target - first:+.3f} s to "
                          "follow the clip before it")
        return [round(Fraction(target - first) / base) for base in self.bases]

    def _timestamps(self, packet: Any, n: int, last: int | None,
                    stream: av.stream.Stream) -> tuple[int, int | None]:
        """The packet's timestamps; one it lacks is filled (counted and noted, never silent):
        from its dts, else one frame after the last at the stream's own declared rate (its
        H.264/HEVC VUI timing, as FFmpeg reads it), else at FFmpeg's default, flagged as
        unknown."""
        if packet.pts is not None:
            return packet.pts, packet.dts
        self.filled += 1
        rate = _declared_rate(stream)
        if self.filled == 1:
            self.notes.append(
                "packets without a timestamp were given one " + (
                    f"from the stream's own declared rate ({rate} fps)" if rate else
                    "at FFmpeg's default spacing: the stream declares no frame rate (rate "
                    "unknown)") + ": flagged, not measured")
        if packet.dts is not None:
            return packet.dts, packet.dts
        step = (rescale(1, 1 / rate, self.bases[n]) if rate else packet.duration or 1)
        return (0 if last is None else last + step), None

    def _cue(self, cue: Cue) -> None:
        self.cue_number += 1
        if self.srt is not None:
            self.srt.write(srt_block(self.cue_number, cue, self.zero or 0.0))
            return
        assert self.subtitle is not None
        packet = av.Packet(cue.text.encode())
        packet.stream = self.subtitle
        packet.time_base = SUBTITLE_TIME_BASE
        packet.pts = packet.dts = round(cue.start * 1000)
        packet.duration = 1000
        self.out.mux(packet)

    def close(self) -> None:
        if len(self.chapters) > 1:
            ends = [chapter["start"] for chapter in self.chapters[1:]] + [self.end]
            self.out.set_chapters([
                {"id": i + 1, "start": round(c["start"] * 1000), "end": round(end * 1000),
                 "time_base": SUBTITLE_TIME_BASE, "metadata": {"title": c["title"]}}
                for i, (c, end) in enumerate(zip(self.chapters, ends, strict=True))])
        try:
            self.out.close()
        finally:
            self.file.close()


def _declared_rate(stream: av.stream.Stream) -> Fraction | None:
    """The frame rate the stream itself declares (an H.264/HEVC stream's VUI timing, which
    FFmpeg reads as the codec's frame rate); None when it declares none (never FFmpeg's
    default of 25)."""
    rate = getattr(stream.codec_context, "framerate", None) if stream.type == "video" else None
    return Fraction(rate) if rate else None


def _muxer_options(job: RemuxJob) -> dict[str, str]:
    """Bit-exact muxing (no random ids, no muxing date): the same master gives the same copy,
    byte for byte, whoever makes it again; MP4 keeps the custom tags."""
    options = {"fflags": "+bitexact"}
    if job.container == "mp4":
        options["movflags"] = "use_metadata_tags"
    return options


def remux(job: RemuxJob) -> RemuxResult:
    """Copy, sync, read back cold and compare; every expected failure is a typed result."""
    return remux_batch((job,))[0]


def remux_batch(jobs: tuple[RemuxJob, ...]) -> tuple[RemuxResult, ...]:
    """`remux` for several small outputs at once: each copied, then all made durable together
    (one file-system sync where the OS has one, opened before the first write so that it
    reports every write-back error), then each read back cold and compared."""
    point = open_sync_point(Path(jobs[0].partial).parent) if len(jobs) > 1 else None
    try:
        written = [_typed(job, functools.partial(_write, job)) for job in jobs]
        _sync([Path(job.partial) for job, made in zip(jobs, written, strict=True)
               if isinstance(made, _Written)], point)
        return tuple(made if isinstance(made, RemuxResult)
                     else _typed(job, functools.partial(_prove, job, made))
                     for job, made in zip(jobs, written, strict=True))
    finally:
        if point is not None:
            os.close(point)


def _typed(job: RemuxJob, step: Callable[[], T]) -> T | RemuxResult:
    """`step`'s result, or its expected failure as a typed result."""
    try:
        return step()
    except _RefusedError as refused:
        return RemuxResult("error", error=refused.payload)
    except OSError as exc:
        return RemuxResult("error", error=payload_from_os_error(exc, job.partial, "write"))
    except av.error.FFmpegError as exc:  # the muxer refused a packet (timestamps, framing)
        return RemuxResult("error", error=IoError(
            path=job.clips[0].path, operation="copy the packets of", detail=str(exc)))


class _Written(NamedTuple):
    """A copy written, not yet proven."""

    writer: _Writer
    digests: tuple[str | None, ...]
    missing: tuple[int, int] | None
    """For a damaged master: where its readable packets end, the bytes missing after."""
    srt_blake3: str | None


def _write(job: RemuxJob) -> _Written:
    writer = _Writer(job)
    digests: list[str | None] = []
    missing: tuple[int, int] | None = None
    try:
        try:
            for number, clip in enumerate(job.clips):
                digest, lost = _copy_clip(writer, number, clip)
                digests.append(digest)
                missing = lost or missing
        finally:
            writer.close()
    except av.error.FFmpegError:
        if writer.file.failure is not None:  # the muxer's write failed: say why (disk full)
            raise writer.file.failure from None
        raise
    return _Written(writer, tuple(digests), missing, _write_srt(writer, job))


def _prove(job: RemuxJob, made: _Written) -> RemuxResult:
    writer = made.writer
    copy, output_blake3, cache_free, bases = _read_back(Path(job.partial), len(writer.streams))
    difference = writer.log.first_difference(copy, writer.bases, bases)
    result = RemuxResult(
        "partial" if made.missing else "lossless_verified", packets=len(writer.log),
        source_blake3=made.digests, output_blake3=output_blake3, srt_blake3=made.srt_blake3,
        missing_from=made.missing[0] if made.missing else None,
        missing_bytes=made.missing[1] if made.missing else None, filled=writer.filled,
        exact=writer.exact, cache_free=cache_free, notes=tuple(writer.notes),
        chapters=len(writer.chapters) if len(writer.chapters) > 1 else 0)
    source = job.clips[0].path
    if difference is not None:
        return result._replace(status="mismatch", error=RemuxMismatch(
            source=source, output=job.partial, packet=difference.packet,
            field=difference.field, expected=difference.expected, actual=difference.actual))
    if not len(writer.log):
        return result._replace(status="error", error=NotMedia(
            path=source, detail="no packet could be read"))
    if job.deep:
        frames, pixels = _compare_frames(job)
        result = result._replace(frames=frames)
        if pixels is not None:
            return result._replace(status="mismatch", error=RemuxMismatch(
                source=source, output=job.partial, packet=frames, field="pixels",
                expected=pixels[0], actual=pixels[1]))
    return result


def _copy_clip(writer: _Writer, number: int, clip: Clip) -> tuple[str, tuple[int, int] | None]:
    """Copy clip `number` into `writer`: its blake3 (from the same read), and for a damaged
    clip where its readable packets end and the bytes missing after them."""
    with _opened(clip) as (container, reader, salvage):
        inputs = [s for s in container.streams if s.type in COPIED_KINDS]
        left = [s for s in container.streams if s.type not in COPIED_KINDS]
        if left:
            writer.notes.append(f"{clip.name}: {len(left)} stream(s) of kind "
                                f"{sorted({s.type for s in left})} left out")
        if number == 0:
            writer.open_streams(clip, inputs)
        stopped, readable_end = writer.copy(clip, number, inputs, container, reader)
        digest = reader.finish()
        if clip.expected_blake3 is not None and digest != clip.expected_blake3:
            raise _RefusedError(HashMismatch(file=clip.path, algorithm="blake3",
                                        expected=clip.expected_blake3, actual=digest))
        if salvage is not None:
            writer.notes.append(
                f"{clip.name}: its MP4 index (moov) is lost: the packets were recovered "
                f"from its mdat box as a raw {salvage.codec()} stream")
            readable_end = salvage.whole_end
            reader_end = max(reader.size, salvage.declared_end)
        else:
            reader_end = reader.size
    if stopped or clip.damaged:
        return digest, (readable_end, max(0, reader_end - readable_end))
    return digest, None


@contextlib.contextmanager
def _opened(clip: Clip) -> Iterator[tuple[Any, HashingReader, AnnexB | None]]:
    """The clip's container, the reader hashing it, and (for an MP4 whose index is lost) the
    raw stream its `mdat` still holds."""
    reader = HashingReader.open(Path(clip.path))
    salvage: AnnexB | None = None
    try:
        try:
            container = av.open(reader, "r", buffer_size=CHUNK)
        except av.error.FFmpegError as exc:
            extent = mdat_extent(reader) if clip.damaged else None
            if extent is None:
                raise _RefusedError(NotMedia(path=clip.path, detail=str(exc))) from None
            salvage = AnnexB(reader, *extent)
            try:
                container = av.open(salvage, "r", format=salvage.codec(), buffer_size=CHUNK)
            except av.error.FFmpegError:
                raise _RefusedError(NotMedia(path=clip.path, detail=str(exc))) from None
        try:
            yield container, reader, salvage
        finally:
            container.close()
    finally:
        reader.close()


def _write_srt(writer: _Writer, job: RemuxJob) -> str | None:
    if writer.srt is None or job.srt_partial is None:
        return None
    import blake3

    data = writer.srt.getvalue().encode()
    fd = platform.SYSTEM.open_new(Path(job.srt_partial))
    try:
        os.write(fd, data)
        platform.SYSTEM.fsync(fd)
    finally:
        os.close(fd)
    with HashingReader.open(Path(job.srt_partial), cold=True) as reader:
        digest = reader.finish()
    return digest if digest == blake3.blake3(data).hexdigest() else None


def _sync(paths: list[Path], point: int | None) -> None:
    """The copies durable before their read-back: one file-system sync from `point` (opened
    before they were written), else an fsync each (a seam: tests change a copy here)."""
    if point is not None:
        sync_filesystem(point)
        return
    for path in paths:
        sync_file(path)


def _read_back(path: Path, copied: int) -> tuple[PacketLog, str, bool, list[Fraction]]:
    """Every packet of the copied streams as read from the disk, the file's blake3, whether
    the read came from the device, and each stream's time base."""
    log = PacketLog()
    with HashingReader.open(path, cold=True) as reader:
        try:
            container = av.open(reader, "r", buffer_size=CHUNK)
        except av.error.FFmpegError as exc:
            raise _RefusedError(IoError(path=str(path), operation="read back",
                                   detail=str(exc))) from None
        with container:
            streams = list(container.streams)[:copied]
            bases = [Fraction(s.time_base or SUBTITLE_TIME_BASE) for s in streams]
            prefixes = [length_size(s.codec_context.name, s.codec_context.extradata)
                        for s in streams]
            for packet in container.demux(streams):
                if packet.size == 0:
                    continue
                n = packet.stream.index
                log.add(n, packet.pts, packet.dts, payload_digest(
                    bytes(packet), streams[n].codec_context.name, prefixes[n]))
        return log, reader.finish(), reader.cache_free, bases


def _frames(path: str) -> Iterator[bytes]:
    with av.open(path) as container:
        for frame in container.decode(video=0):
            yield np.ascontiguousarray(frame.to_ndarray()).tobytes()


def _compare_frames(job: RemuxJob) -> tuple[int, tuple[str, str] | None]:
    """Decode the masters and the copy and compare every picture's pixels: (frames compared,
    the first differing pair's digests or None)."""
    import blake3

    def sources() -> Iterator[bytes]:
        for clip in job.clips:
            yield from _frames(clip.path)

    count = 0
    mine, theirs = sources(), _frames(job.partial)
    while True:
        a, b = next(mine, None), next(theirs, None)
        if a is None and b is None:
            return count, None
        if a is None or b is None:
            return count, ("no frame" if a is None else "a frame",
                           "no frame" if b is None else "a frame")
        if a != b:
            return count, (blake3.blake3(a).hexdigest()[:16], blake3.blake3(b).hexdigest()[:16])
        count += 1


__all__ = ["FORMATS", "remux", "remux_batch"]

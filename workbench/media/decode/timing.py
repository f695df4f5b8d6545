"""Frame timing of one video stream: every packet demuxed (never decoded), its timestamps
reduced as they pass (`reduce.py`) to `FrameTiming`'s fields in plain types. Runs in a worker
of the pool, or in-process through `workbench.media.frame_timing` for a caller that needs one
file's timing now (the caller builds the model)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import av
import av.container
import av.stream

from workbench.media.decode.files import Fields
from workbench.media.decode.reduce import TimestampReducer

if TYPE_CHECKING:
    from workbench.media.frames import RateSource

RAW_FORMATS = frozenset({"h264", "hevc"})
"""FFmpeg demuxers of raw elementary streams: their packet times are FFmpeg's invention (at
its default rate unless the stream's own headers declare one)."""
EPOCH_FORMATS = frozenset({"dhav"})
"""Demuxers whose frame timestamps are the recorder's clock (Dahua: epoch milliseconds)."""


def read_timing(path: str, stream_index: int | None = None) -> Fields | None:
    """`FrameTiming`'s fields for the video stream `stream_index` (default: the first) of the
    file at `path`; None when it has no video stream. Raises `av.FFmpegError` / `OSError`
    when the file cannot be opened."""
    with av.open(path, "r", metadata_errors="replace") as container:
        videos = [s for s in container.streams.video
                  if stream_index is None or s.index == stream_index]
        if not videos:
            return None
        return stream_timing(container, videos[0])


def stream_timing(container: av.container.InputContainer, stream: av.stream.Stream,
                  on_packet: Callable[[av.Packet[Any]], object] | None = None) -> Fields:
    """Demux every packet of `stream` from the start of `container` and reduce its times to
    `FrameTiming`'s fields;
    `on_packet` sees each packet too (the last, empty one included: it flushes decoders)."""
    name = container.format.name
    time_base = stream.time_base or Fraction(1, 1)
    reducer = TimestampReducer(time_base)
    for packet in container.demux(stream):
        if packet.size:  # PyAV ends with an empty packet that flushes decoders
            reducer.add(packet.pts, packet.dts)
        if on_packet is not None:
            on_packet(packet)
    nominal, source = _nominal(stream, name)
    return reducer.finish(
        stream=stream.index, origin="epoch" if name in EPOCH_FORMATS else "clip",
        nominal=nominal, rate_source=source, raw=name in RAW_FORMATS,
        assumed=stream.average_rate if name in RAW_FORMATS else None,
    )


def _nominal(stream: av.stream.Stream, name: str) -> tuple[Fraction | None, RateSource | None]:
    """The rate the stream's own sequence headers declare (FFmpeg reads H.264 / HEVC VUI
    timing into the codec's `framerate`, left unset when the stream has none), else for a
    container the rate its header gives; never FFmpeg's default for a raw stream."""
    context = stream.codec_context
    declared = context.framerate if isinstance(context, av.VideoCodecContext) else None
    if declared:
        return Fraction(declared), "stream-headers"
    if name in RAW_FORMATS or not stream.average_rate:
        return None, None
    return Fraction(stream.average_rate), "container"


__all__ = ["EPOCH_FORMATS", "RAW_FORMATS", "read_timing", "stream_timing"]

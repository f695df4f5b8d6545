"""What a worker reads from one file, typed: its container, streams, first keyframe and frame
timing. The worker answers in plain fields; the models are built here, in the caller."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import ClassVar

from pydantic import Field

from workbench.errors import ErrorPayload, MediaError, payload_from_os_error
from workbench.media.decode.files import OS_ERROR, Fields, MediaKind
from workbench.media.decode.reduce import rate_fields, rate_mismatch, raw_extent, raw_fields
from workbench.media.frames import FrameTiming
from workbench.model import Contract


class StreamInfo(Contract):
    """One stream of a media file."""

    error_class: ClassVar = MediaError

    index: int
    """Position in the container."""
    kind: str
    """video, audio, subtitle, data or attachment."""
    codec: str | None = None
    """FFmpeg's codec name, e.g. `h264`."""


class Probe(Contract):
    """What a worker reads from one file: its container and streams, and whether it decodes."""

    error_class: ClassVar = MediaError

    kind: MediaKind = "other"
    """video, audio, image or other (not media)."""
    container: str | None = None
    """FFmpeg's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `dhav`."""
    duration_s: float | None = None
    """Duration of the container in seconds."""
    bit_rate: int | None = None
    """Overall bit rate in bits per second."""
    start_time_s: float | None = None
    """The container's start time in seconds (epoch seconds for a DVR's absolute clock)."""
    streams: list[StreamInfo] = Field(default_factory=list)
    """Every stream of the container."""
    video_codec: str | None = None
    """Codec of the first video stream."""
    video_profile: str | None = None
    """Its profile, e.g. `High`."""
    width: int | None = None
    """Picture width in pixels."""
    height: int | None = None
    """Picture height in pixels."""
    avg_frame_rate: float | None = None
    """Average frame rate (frames per second)."""
    real_frame_rate: float | None = None
    """FFmpeg's real base frame rate (`r_frame_rate`)."""
    frame_count: int | None = None
    """Frames of the first video stream, when the container says."""
    audio_codec: str | None = None
    """Codec of the first audio stream."""
    audio_rate: int | None = None
    """Its sample rate (Hz)."""
    audio_channels: int | None = None
    """Its channel count."""
    creation_time: str | None = None
    """The container's `creation_time` tag, as written."""
    container_time: datetime | None = None
    """Absolute recorder time of the first frame from the container itself (Dahua `.dav`)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Container tags (long values shortened)."""
    timing: FrameTiming | None = None
    """The first video stream's frame timing from every packet (None: no video, or it
    cannot be demuxed)."""
    first_frame_decodes: bool | None = None
    """Whether the first keyframe of the first video stream decodes (None: no video)."""
    problem: ErrorPayload | None = None
    """Why the file is damaged or could not be read; None when it is fine."""

    def with_rate(self, fps: Fraction) -> Probe:
        """This probe with the frame rate the analyst set for its video (see
        `with_analyst_rate`); a raw stream's rates and duration follow. Unchanged without
        frame timing."""
        if self.timing is None:
            return self
        timing = with_analyst_rate(self.timing, fps)
        update: Fields = {"timing": timing}
        if timing.raw:
            update |= raw_fields(timing.model_dump(include={"nominal_rate", "frames"}))
        return self.model_copy(update=update)


def with_analyst_rate(timing: FrameTiming, fps: Fraction) -> FrameTiming:
    """`timing` with the rate the analyst set as its nominal rate (`rate_source="analyst"`,
    the headers' rate kept in `header_rate`). A raw stream's extent becomes frames / `fps`
    and its `DefaultFrameRate` goes (the rate is no longer unknown); a stream whose
    timestamps are the file's own keeps its intervals, and its measured rate is checked
    against the analyst's instead (`RateMismatch`)."""
    rate = rate_fields(fps)
    if rate is None:
        raise ValueError(f"a frame rate must be positive, not {fps}")
    header = timing.header_rate if timing.rate_set_by_analyst else timing.nominal_rate
    fields = timing.model_dump()
    kept = [found for found in fields["problems"]
            if found["type"] not in {"DefaultFrameRate", "RateMismatch"}]
    mismatch = rate_mismatch(float(fps), timing.measured_fps)
    fields |= {
        "nominal_rate": rate, "rate_source": "analyst",
        "header_rate": None if header is None else header.model_dump(),
        "problems": kept if mismatch is None else [*kept, mismatch],
    }
    if timing.raw:
        extent = raw_extent(timing.frames, float(fps))
        fields |= {"intervals": extent, "first_s": 0.0 if extent else None}
    return FrameTiming.model_validate(fields)


def probe_of(fields: Fields) -> Probe:
    """The typed probe of a worker's answer (an OS error becomes its typed payload)."""
    found = fields.get("problem")
    if found is not None and found["type"] == OS_ERROR:
        error = OSError(found["errno"], found["detail"])
        fields = {**fields, "problem": payload_from_os_error(error, found["path"],
                                                             found["operation"])}
    return Probe.model_validate(fields)


__all__ = ["Probe", "StreamInfo", "probe_of", "with_analyst_rate"]

"""The timeline video, rendered in a worker process (decoders meet untrusted clips here): each
camera's clips decoded forward, one picture held per camera, the grid composed frame by frame
and encoded with FFmpeg's own MPEG-4 encoder. Memory stays flat in the window's length."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av
import numpy as np

from workbench.conversion.remux.reader import HashingReader, sync_file
from workbench.conversion.render.draw import banner, canvas, label, place, slate
from workbench.conversion.render.job import Lane, RenderJob, RenderResult, TileClip
from workbench.conversion.render.progress import FrameCounter, frame_step, frame_total
from workbench.errors import payload_from_os_error

NOTE = "presentation aid, not evidence (re-encoded)"
"""What the banner says the video is."""


class _LaneReader:
    """The picture one camera shows at a moment: its clip's latest frame, or a slate."""

    def __init__(self, lane: Lane, tile: tuple[int, int]) -> None:
        self.lane, self.tile = lane, tile
        self.clip: TileClip | None = None
        self.frames: Iterator[Any] | None = None
        self.container: Any = None
        self.first: float | None = None
        self.picture: np.ndarray | None = None
        self.pending: Any = None
        self.broken = False

    def at(self, moment: datetime) -> np.ndarray:
        clip = next((c for c in self.lane.clips if c.real_start <= moment < c.real_end), None)
        if clip is None:
            return slate(self.tile, self._gap_lines(moment))
        if clip is not self.clip:
            self._open(clip)
        self._advance((moment - clip.real_start).total_seconds())
        picture = self.picture if self.picture is not None else slate(
            self.tile, [self.lane.camera, "no picture decodes here"])
        return label(picture, self.lane.camera, moment + clip.offset, clip.problem)

    def _gap_lines(self, moment: datetime) -> list[str]:
        before = max((c.real_end for c in self.lane.clips if c.real_end <= moment), default=None)
        after = min((c.real_start for c in self.lane.clips if c.real_start > moment),
                    default=None)
        offset = self.lane.clips[0].offset if self.lane.clips else timedelta(0)
        lines = [f"{self.lane.camera} — no recording"]
        if before is not None or after is not None:
            start = f"{before + offset:%H:%M:%S}" if before else "…"
            end = f"{after + offset:%H:%M:%S}" if after else "…"
            lines.append(f"DVR {start}–{end}")
        return lines

    def _open(self, clip: TileClip) -> None:
        self.close()
        self.clip, self.first, self.picture, self.pending, self.broken = (
            clip, None, None, None, False)
        try:
            self.container = av.open(clip.path)
            self.frames = self.container.decode(video=0)
        except av.error.FFmpegError:
            self.broken = True

    def _advance(self, position: float) -> None:
        while not self.broken and self.frames is not None:
            if self.pending is None:
                try:
                    self.pending = next(self.frames)
                except StopIteration:
                    self.frames = None
                    return
                except av.error.FFmpegError:
                    self.broken = True
                    return
            time = self.pending.time or 0.0
            self.first = time if self.first is None else self.first
            if time - self.first > position:
                return
            self.picture = self.pending.reformat(
                width=self.tile[0], height=self.tile[1], format="rgb24").to_ndarray()
            self.pending = None

    def close(self) -> None:
        if self.container is not None:
            self.container.close()
            self.container = None


def render(job: RenderJob) -> RenderResult:
    """Render the window into `job.partial` (synced), read it back cold for its blake3."""
    try:
        frames = _render(job)
        sync_file(Path(job.partial))
        with HashingReader.open(Path(job.partial), cold=True) as reader:
            return RenderResult(frames, reader.finish())
    except OSError as exc:
        return RenderResult(error=payload_from_os_error(exc, job.partial, "write"))


def _render(job: RenderJob) -> int:
    readers = [_LaneReader(lane, job.tile) for lane in job.lanes]
    step = frame_step(job.fps)
    count = max(1, len(readers))
    total = frame_total(job.start, job.end, job.fps)
    counter = FrameCounter(job.progress)
    try:
        with av.open(job.partial, "w", format="mp4") as out:
            out.metadata["comment"] = NOTE
            blank = canvas(count, job.tile)
            stream = out.add_stream(job.codec, rate=job.fps, options=job.options)
            stream.width, stream.height = blank.shape[1], blank.shape[0]
            stream.pix_fmt = "yuv420p"
            stream.bit_rate = job.bit_rate
            for number in range(total):
                moment = job.start + number * step
                frame = blank.copy()
                if not readers:
                    place(frame, 0, 1, slate(job.tile, ["no camera recorded in this window"]))
                for index, reader in enumerate(readers):
                    place(frame, index, count, reader.at(moment))
                banner(frame, moment, NOTE)
                video = av.VideoFrame.from_ndarray(frame, format="rgb24")
                video.pts = number
                out.mux(stream.encode(video))
                counter.update(number + 1)
            out.mux(stream.encode(None))
        counter.update(total, last=True)
    finally:
        counter.close()
        for reader in readers:
            reader.close()
    return total


__all__ = ["NOTE", "render"]

"""A preview picture of a derived video (a playable copy or a timeline video: files this room
wrote, never a master), for the app's result panel."""

from __future__ import annotations

import io
from pathlib import Path

from workbench.errors import ConversionError, IoError

PREVIEW_WIDTH = 480
"""Width of a preview picture (its height follows)."""


def preview_frame(path: Path, *, at_seconds: float = 0.0) -> bytes:
    """The first picture at or after `at_seconds` of the derived video `path`, as a JPEG."""
    import av  # PyAV: only when a preview is drawn

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                if (frame.time or 0.0) - (stream.start_time or 0) * float(
                        stream.time_base or 0) >= at_seconds:
                    height = max(2, round(frame.height * PREVIEW_WIDTH / frame.width))
                    image = frame.to_image(width=PREVIEW_WIDTH, height=height)
                    buffer = io.BytesIO()
                    image.save(buffer, "JPEG", quality=85)
                    return buffer.getvalue()
    except (av.error.FFmpegError, IndexError) as exc:
        raise ConversionError(IoError(path=str(path), operation="preview",
                                      detail=str(exc))) from None
    raise ConversionError(IoError(path=str(path), operation="preview",
                                  detail="no picture decodes"))


__all__ = ["preview_frame"]

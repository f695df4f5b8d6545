"""A small sample CCTV export with fixed bytes, for the README, the CLI demo and notebooks.

The clips are real H.264 (made once by `tools/make_sample_footage.py` and shipped in the
package, so their hashes never change): two cameras of the demo case, recorder clock
2026-11-20 14:00 to 15:30, with one gap, one clip from the morning and one cut short.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from workbench.errors import Conflict, ProcessingError, payload_from_os_error
from workbench.paths import expand_user

if TYPE_CHECKING:
    from importlib.abc import Traversable

FOOTAGE = "footage"
"""Package folder (inside `workbench.samples`) that holds the sample's clips."""
SAMPLE_README = (
    "Sample DVR export (synthetic footage made for Case Workbench demos).\n"
    "Recorder clock: 2026-11-20 14:00 to 15:30 asked for.\n"
    "CAM01: Dahua-style DVR, .dav files at 1 fps. CAM02: NVR, MP4 at 1/4 fps.\n"
)


def _walk(folder: Traversable, prefix: PurePosixPath) -> dict[PurePosixPath, bytes]:
    found: dict[PurePosixPath, bytes] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_dir():
            found |= _walk(entry, prefix / entry.name)
        else:
            found[prefix / entry.name] = entry.read_bytes()
    return found


def sample_contents() -> dict[PurePosixPath, bytes]:
    """Every file of the sample export and its exact bytes."""
    contents = _walk(files("workbench.samples") / FOOTAGE, PurePosixPath())
    contents[PurePosixPath("export_info.txt")] = SAMPLE_README.encode()
    return contents


def make_sample_evidence(folder: str | Path) -> Path:
    """Write the sample export into `folder` (created); files already there must match."""
    root = expand_user(folder)
    for relative, data in sample_contents().items():
        path = root.joinpath(*relative.parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            if path.read_bytes() != data:
                raise ProcessingError(Conflict(
                    path=str(path), detail="a different file is already there",
                )) from None
        except OSError as exc:
            raise ProcessingError(payload_from_os_error(exc, str(path), "write")) from exc
    return root

"""Fuzz: 200 damaged variants of a valid clip in one call; every one a row, none raised, and
the calling process (the notebook kernel, here pytest) still alive."""

from __future__ import annotations

import random
from pathlib import Path

from media_helpers import SAMPLE_DAV, SAMPLE_MP4

from workbench.media import probe_media

VARIANTS = 200


def variants(clip: bytes, seed: int, count: int) -> list[bytes]:
    """Byte-flipped, truncated, spliced and zeroed copies of `clip`."""
    chooser = random.Random(seed)
    found = []
    for number in range(count):
        data = bytearray(clip)
        how = number % 4
        if how == 0:  # flip bytes anywhere
            for _ in range(chooser.randint(1, 64)):
                data[chooser.randrange(len(data))] ^= 1 << chooser.randrange(8)
        elif how == 1:  # cut short
            del data[chooser.randrange(1, len(data)):]
        elif how == 2:  # flip bytes in the first KB (headers), then cut
            for _ in range(chooser.randint(1, 16)):
                data[chooser.randrange(min(1024, len(data)))] = chooser.randrange(256)
            del data[chooser.randrange(len(data) // 2, len(data)):]
        else:  # a run of zeros or garbage in the middle
            start = chooser.randrange(len(data))
            data[start:start + chooser.randint(16, 4096)] = bytes(chooser.randrange(256)
                                                                  for _ in range(64))
        found.append(bytes(data))
    return found


def test_two_hundred_damaged_clips_in_one_call(tmp_path: Path, sample_dir: Path) -> None:
    root = tmp_path / "fuzz"
    root.mkdir()
    names = []
    for source, suffix in ((SAMPLE_MP4, ".mp4"), (SAMPLE_DAV, ".dav")):
        for number, data in enumerate(variants((sample_dir / source).read_bytes(),
                                               seed=len(names), count=VARIANTS // 2)):
            name = f"variant_{suffix[1:]}_{number:03d}{suffix}"
            (root / name).write_bytes(data)
            names.append(name)
    report = probe_media(root, timeout=20)
    assert sorted(row.relative.as_posix() for row in report.rows) == sorted(names)
    assert report.outcome == "completed"
    for row in report.rows:
        assert row.kind == "video"
        if row.problem is None:
            assert row.first_frame_decodes is True and row.video_codec == "h264"
        else:
            assert row.problem.type in {"NotMedia", "Truncated", "UndecodableStream", "Timeout",
                                        "ProbeCrashed"}
            assert row.problem.describe()
    types = {row.problem.type for row in report.rows if row.problem}
    assert "Truncated" in types  # cut MP4s lose their index; cut DAVs their last frame
    assert report.to_frame().shape[0] == VARIANTS

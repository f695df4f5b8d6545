"""Frame-timing benchmark (issue 20): every packet's timestamp, demuxed, against its peers.

    .venv/bin/python bench/frame_timing.py [--scratch /tmp/wb-bench/timing] [--clips 1000]
                                           [--gib 1.0]

- one big H.264 file (`--gib`, default 1 GiB; 10 fps, noisy 640x360 frames so packets are
  large): `wb.frame_timing(path)` cold (page cache of the file dropped first) against a cold
  `cat path > /dev/null` read of the same file; target <= 1.3x;
- N small clips (`--clips`, default 1,000): `wb.probe_media(folder, thumbnails=False)` (its
  worker pool demuxes every packet of every clip), timed on the warm pool (a second call, as
  a kernel keeps it) and with the pool's start, against one `ffprobe -show_packets` process
  per file; target >= 20x; every clip's packet count and timestamp digest must be equal.

Prints the numbers as JSON and writes `bench/results/frame_timing.json`. The machine's load is
printed with them (`os.getloadavg`): on a shared machine the ratios are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "media"))
from clips import ffprobe_packets, make_clip
from measure import cold_start

import workbench as wb

RESULTS = Path(__file__).resolve().parent / "results"


def big_clip(path: Path, gib: float) -> Path:
    """An H.264 MP4 of about `gib` GiB: noise frames at a high bit rate (made once)."""
    if path.exists() and path.stat().st_size >= gib * (1 << 30) * 0.9:
        return path
    chooser = np.random.default_rng(7)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "0"}
        frames = [chooser.integers(0, 255, (360, 640, 3), np.uint8) for _ in range(8)]
        index = 0
        while not path.exists() or path.stat().st_size < gib * (1 << 30):  # written as it goes
            frame = av.VideoFrame.from_ndarray(frames[index % 8], format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
            index += 1
        for packet in stream.encode():
            out.mux(packet)
    return path


def cold_seconds(path: Path, work: list[str] | None = None) -> float:
    """Wall time of `work` (a command) or of `wb.frame_timing(path)`, page cache dropped."""
    cold_start([path])
    began = time.perf_counter()
    if work is None:
        wb.frame_timing(path)
    else:
        subprocess.run(work, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench/timing"))
    parser.add_argument("--clips", type=int, default=1000)
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--results", default="frame_timing.json",
                        help="file of bench/results/ the numbers go to")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    big = big_clip(args.scratch / "big.mp4", args.gib)
    timing = min(cold_seconds(big) for _ in range(2))
    read = min(cold_seconds(big, ["cat", str(big)]) for _ in range(2))
    folder = args.scratch / f"clips{args.clips}"
    folder.mkdir(exist_ok=True)
    for number in range(args.clips):
        clip = folder / f"ch01_20261120_{number // 60 % 24:02d}{number % 60:02d}00.mp4"
        if not clip.exists():
            make_clip(clip, frames=10 + number % 7)
    clips = sorted(folder.iterdir())
    began = time.perf_counter()
    report = wb.probe_media(folder, thumbnails=False)  # the pool's workers start in this one
    first = time.perf_counter() - began
    began = time.perf_counter()
    report = wb.probe_media(folder, thumbnails=False)  # the warm pool, as a kernel keeps it
    ours = time.perf_counter() - began
    began = time.perf_counter()
    theirs = {clip.name: ffprobe_packets(clip) for clip in clips}
    peer = time.perf_counter() - began
    equal = all(
        row.timing is not None
        and (row.timing.frames, row.timing.timestamps_digest) == theirs[row.relative.name]
        for row in report.rows)
    result = {
        "load_average": os.getloadavg(), "cpus": os.cpu_count(),
        "big_file_bytes": big.stat().st_size, "timing_cold_s": timing, "cold_read_s": read,
        "timing_vs_read": timing / read, "target_timing_vs_read": 1.3,
        "clips": len(clips), "probe_s": ours, "probe_cold_pool_s": first,
        "ffprobe_show_packets_s": peer, "speedup": peer / ours,
        "speedup_cold_pool": peer / first, "target_speedup": 20,
        "packets_and_timestamps_equal": equal,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / args.results).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

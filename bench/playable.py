"""Derived-video benchmark: playable copies and the timeline video against their peers.

    .venv/bin/python bench/playable.py [--scratch /tmp/wb-bench/playable] [--gib 1] [--clips 1000]

Measured in one run (the numbers that count are the ratios):
- a playable copy of ~1 GiB of H.264 (an all-intra Annex-B MPEG-TS, as a DVR writes it) with
  its packet proof (`wb.make_playable`, probe and worker start included), against a verified
  copy of the same bytes (`wb.run_copy`: hash, write, cache-dropped read-back; neither job
  followed by the case report every step writes), and against Debian's `ffmpeg -c copy` of
  it into MKV then `sync` (the remux alone: no proof, no read-back, no record); each trial
  from a cold cache, medians of three alternating trials; target ≤ 1.3x the verified copy;
- 1,000 small `.dav` clips (one minute of the sample's Dahua clip each, cut at frame
  boundaries) made playable and proven, against one `ffmpeg -c copy` process per file (Debian's
  ffmpeg, one after the other, and two at a time); target ≥ 10x;
- the timeline video of 4 cameras x 10 minutes at their native size (CIF, 5 fps): its
  real-time factor, and the peak memory (process tree) of a 2-minute vs a 10-minute window.

Writes `bench/results/playable.md` and `.json`. The data is made once in `--scratch` with PyAV
(libx264 from its wheels) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import time
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from measure import cold_start
from media import peak_rss, timed

import workbench as wb
from workbench.reports import commands as report_commands
from workbench.samples import sample_contents

RESULTS = Path(__file__).resolve().parent / "results"
CASE = wb.CaseData(occurrence="BENCH-21", video_start="2026-11-20T14:00",
                   video_end="2026-11-20T14:10")
TEMPLATE = wb.Template(id="flat", name="Flat", levels=[wb.TemplateLevel(pattern="{occurrence}")])


def big_ts(path: Path, gib: float) -> None:
    """An all-intra H.264 MPEG-TS of about `gib` GiB: 50 noisy 1280x720 frames encoded once,
    their packets repeated with rising timestamps (no encoding after the first 50)."""
    if path.exists():
        return
    rng = np.random.default_rng(21)
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = 1280, 720, "yuv420p"
    codec.time_base, codec.framerate = Fraction(1, 25), Fraction(25)
    codec.options = {"preset": "ultrafast", "crf": "8", "x264-params": "keyint=1:repeat-headers=1"}
    packets = []
    for number in range(50):
        frame = av.VideoFrame.from_ndarray(rng.integers(0, 255, (720, 1280, 3), np.uint8),
                                           format="rgb24").reformat(format="yuv420p")
        frame.pts = number
        packets += [bytes(p) for p in codec.encode(frame)]
    packets += [bytes(p) for p in codec.encode(None)]
    target = int(gib * 2**30)
    with av.open(str(path), "w", format="mpegts") as out:
        stream = out.add_stream("h264", rate=25)
        stream.width, stream.height = 1280, 720
        written, number = 0, 0
        while written < target:
            packet = av.Packet(packets[number % len(packets)])
            packet.stream, packet.time_base = stream, Fraction(1, 25)
            packet.pts = packet.dts = number
            out.mux(packet)
            written += packet.size
            number += 1


def small_davs(folder: Path, count: int) -> list[Path]:
    """`count` one-minute `.dav` clips cut from the sample's Dahua clip at frame boundaries."""
    folder.mkdir(parents=True, exist_ok=True)
    data = sample_contents()[next(k for k in sample_contents() if k.suffix == ".dav")]
    source = folder.parent / "sample.dav"
    source.write_bytes(data)
    with av.open(str(source)) as container:
        cut = [p.pos for p in container.demux(container.streams.video[0]) if p.size][60]
    paths = []
    for number in range(count):
        path = folder / f"ch01_20261120_{14 + number // 60:02d}{number % 60:02d}00.dav"
        if not path.exists():
            path.write_bytes(data[:cut])
        paths.append(path)
    return paths


def cif_camera(path: Path, seed: int, seconds: int, rate: int = 5) -> None:
    """One camera's 10-minute CIF clip (a block moving on a still scene)."""
    if path.exists():
        return
    rng = np.random.default_rng(seed)
    ground = rng.integers(40, 200, (288, 352, 3), np.uint8)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = 352, 288, "yuv420p"
        stream.codec_context.options = {"preset": "ultrafast", "crf": "30"}
        for number in range(seconds * rate):
            pixels = ground.copy()
            x = (number * 3) % 320
            pixels[100:160, x:x + 30] = (200, 40, 40)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = number
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def case_of(source: Path, root: Path) -> Path:
    """A verified case folder of `source` (made once)."""
    report = wb.run_copy(wb.plan_copy([source], CASE, TEMPLATE, root))
    return report.plan.destination


def fresh(folder: Path) -> None:
    shutil.rmtree(folder / "derived", ignore_errors=True)


def ffmpeg_remux(path: Path, out: Path) -> float:
    """Seconds of one `ffmpeg -c copy` of `path` into MKV made durable (`sync`): the remux
    itself, without any proof, read-back or record (the floor of any FFmpeg remux)."""
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0",
                    "-c", "copy", str(out)], check=True)
    os.sync()
    seconds = time.perf_counter() - start
    out.unlink()
    return seconds


def ffmpeg_copies(paths: list[Path], out: Path, parallel: int) -> float:
    """One `ffmpeg -c copy` process per file into MKV, `parallel` at a time."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    pending, running = list(paths), []
    while pending or running:
        while pending and len(running) < parallel:
            path = pending.pop(0)
            running.append(subprocess.Popen(
                ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-c", "copy",
                 str(out / (path.stem + ".mkv"))]))
        running.pop(0).wait()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench/playable"))
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--clips", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    scratch = args.scratch
    os.environ.setdefault("WORKBENCH_HOME", str(scratch / "home"))
    report_commands.AFTER_EVERY_STEP = False  # the jobs themselves: no case report after each
    results: dict[str, Any] = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "load_before": os.getloadavg(),
        "pyav": f"PyAV {av.__version__}, FFmpeg {av.ffmpeg_version_info}",
        "ffmpeg": subprocess.run(["ffmpeg", "-version"], capture_output=True,
                                 text=True).stdout.split("\n")[0],
    }
    # 1. one big H.264 file: playable copy with proof vs a verified copy
    big = scratch / "big" / "ch01_20261120_140000.ts"
    big.parent.mkdir(parents=True, exist_ok=True)
    big_ts(big, args.gib)
    big_case = case_of(big.parent, scratch / "big-case") if not (
        scratch / "big-case").exists() else next((scratch / "big-case").iterdir())
    playable, copies, remuxes = [], [], []
    clip = next(big_case.rglob(big.name))
    for trial in range(args.trials):
        fresh(big_case)
        cold_start([clip])
        seconds, report = timed(lambda: wb.make_playable(big_case, only_unplayable=False))
        assert report.verified, report.to_frame()
        playable.append(seconds)
        shutil.rmtree(scratch / f"copy-{trial}", ignore_errors=True)
        target = scratch / f"copy-{trial}"
        cold_start([big])
        seconds, copied = timed(lambda target=target: wb.run_copy(wb.plan_copy(
            [big.parent], CASE, TEMPLATE, target)))
        assert copied.outcome == "completed"
        copies.append(seconds)
        shutil.rmtree(scratch / f"copy-{trial}", ignore_errors=True)
        cold_start([clip])
        remuxes.append(ffmpeg_remux(clip, scratch / "ffmpeg-big.mkv"))
    results["big"] = {"bytes": big.stat().st_size, "packets": report.rows[0].packets,
                      "playable_s": playable, "verified_copy_s": copies,
                      "ffmpeg_copy_s": remuxes,
                      "ratio": statistics.median(playable) / statistics.median(copies),
                      "ffmpeg_ratio": statistics.median(remuxes) / statistics.median(copies)}
    fresh(big_case)
    # 2. many small .dav clips vs one ffmpeg process per file
    small = small_davs(scratch / "small" / "CAM01", args.clips)
    seconds, report = timed(lambda: wb.make_playable(small[0].parent.parent))
    assert report.verified, report.summary()
    results["small"] = {"clips": len(small), "bytes": sum(p.stat().st_size for p in small),
                        "wb_s": seconds,
                        "ffmpeg_serial_s": ffmpeg_copies(small, scratch / "ff1", 1),
                        "ffmpeg_2x_s": ffmpeg_copies(small, scratch / "ff2", 2)}
    results["small"]["ratio"] = results["small"]["ffmpeg_serial_s"] / seconds
    shutil.rmtree(small[0].parent.parent / "derived", ignore_errors=True)
    # 3. the timeline video of 4 cameras x 10 minutes
    cams = scratch / "cams"
    for number in range(4):
        folder = cams / f"CAM0{number + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        cif_camera(folder / f"ch0{number + 1}_20261120_140000_141000.mp4", number, 600)
    windows = {}
    for minutes in (2, 10):
        fresh(cams)
        end = datetime(2026, 11, 20, 14, minutes)
        seconds, peak = peak_rss(lambda end=end: wb.render_timeline(
            cams, "2026-11-20T14:00:00", end))
        windows[f"{minutes}_min"] = {"seconds": seconds, "peak_mb": peak,
                                     "real_time_factor": minutes * 60 / seconds}
    results["timeline"] = windows
    results["load_after"] = os.getloadavg()
    write(args.results, results)
    print(json.dumps(results, indent=1))


def write(folder: Path, results: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "playable.json").write_text(json.dumps(results, indent=2) + "\n")
    big, small, timeline = results["big"], results["small"], results["timeline"]
    median = statistics.median
    lines = [
        f"# Derived-video benchmark ({results['when']}, {results['cpus']} CPUs, 1-minute load "
        f"{results['load_before'][0]:.1f} → {results['load_after'][0]:.1f})",
        "", f"{results['pyav']}; peer {results['ffmpeg']}.", "",
        "| measurement | workbench | peer | ratio | target |", "|---|---:|---:|---:|---|",
        f"| playable MKV of {big['bytes'] / 2**30:.2f} GiB H.264 ({big['packets']:,} packets) "
        f"with its packet proof vs a verified copy | {median(big['playable_s']):.2f} s | "
        f"{median(big['verified_copy_s']):.2f} s | {big['ratio']:.2f}x | ≤ 1.3x: "
        f"{'PASS' if big['ratio'] <= 1.3 else 'MISS'} |",
        f"| `ffmpeg -c copy` of the same file into MKV + `sync` (no proof, no read-back) vs "
        f"the verified copy | {median(big['ffmpeg_copy_s']):.2f} s | "
        f"{median(big['verified_copy_s']):.2f} s | {big['ffmpeg_ratio']:.2f}x | the remux "
        "floor |",
        f"| {small['clips']:,} small .dav clips made playable and proven vs one `ffmpeg -c copy` "
        f"per file | {small['wb_s']:.1f} s | {small['ffmpeg_serial_s']:.1f} s | "
        f"{small['ratio']:.1f}x | ≥ 10x: {'PASS' if small['ratio'] >= 10 else 'MISS'} |",
        f"| same, ffmpeg two at a time | {small['wb_s']:.1f} s | {small['ffmpeg_2x_s']:.1f} s | "
        f"{small['ffmpeg_2x_s'] / small['wb_s']:.1f}x | |",
    ]
    for key, row in timeline.items():
        lines.append(f"| timeline video, 4 cameras CIF 5 fps, {key.replace('_', ' ')} window | "
                     f"{row['seconds']:.1f} s, real-time factor {row['real_time_factor']:.1f}, "
                     f"peak {row['peak_mb']:.0f} MB (process tree) | | | flat in length |")
    (folder / "playable.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

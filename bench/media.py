"""Footage benchmark: the workbench's probe against one `ffprobe` process per file.

    .venv/bin/python bench/media.py [--scratch /tmp/wb-bench/media] [--clips 1000]

Measured side by side in one run (the numbers that count are the ratios):
- probe of N small H.264 clips: `wb.probe_media(folder, thumbnails=False)` (worker pool
  started inside the timing) against `ffprobe -show_format -show_streams` once per file,
  one after the other (and two at a time, for a fair use of 2 CPUs); every file must give
  the same duration, codec, resolution and frame rates in both;
- the contact sheet of 200 clips (probe with keyframes + the sheet) against the probe of
  the same clips without keyframes: target < 2x; small clips and D1 (704x576) ones,
  medians of three round-robin trials;
- a cold start: 100 small clips probed from a fresh process (workbench imported, no worker
  running: the pool starts inside the timing), then again in the same process (warm pool),
  against one `ffprobe` per file; medians of three fresh processes and three ffprobe runs;
- peak memory (RSS of the whole process tree: the caller and its workers, sampled every
  10 ms) probing 100 vs N clips, and 20 small vs 20 large (~250 MB) clips.

Writes `bench/results/media.md` and `.json`. The clips are made once in `--scratch` with
PyAV (libx264 from its wheels) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import psutil

import workbench as wb

RESULTS = Path(__file__).resolve().parent / "results"
REPEAT = 3
"""Trials of each contact-sheet measurement (medians are reported)."""
SIZE = (160, 90)


def make_clip(path: Path, seed: int, frames: int = 10, size: tuple[int, int] = SIZE,
              rate: int = 5, crf: int = 30, noise: bool = False) -> None:
    """A distinct H.264 MP4: a moving block on a coloured ground (or on noise, which makes
    big frames)."""
    width, height = size
    chooser = np.random.default_rng(seed)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.options = {"preset": "ultrafast", "crf": str(crf)}
        for number in range(frames):
            pixels = np.zeros((height, width, 3), np.uint8)
            pixels[...] = (seed * 37 % 256, seed * 91 % 256, 90)
            if noise:
                pixels = chooser.integers(0, 256, (height, width, 3), dtype=np.uint8)
            x = (seed + number * 7) % (width - 16)
            pixels[20:36, x:x + 16] = 255
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = number
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def make_large(source: Path, target: Path, megabytes: int) -> None:
    """A long clip made by copying `source`'s packets over and over (no encoding)."""
    with av.open(str(source)) as reader:
        packets = [(p.pts, p.dts, bytes(p), p.is_keyframe) for p in reader.demux(
            reader.streams.video[0]) if p.dts is not None]
        template = reader.streams.video[0]
        span = max(p[0] for p in packets) + (packets[1][0] - packets[0][0])
        with av.open(str(target), "w", format="mp4") as writer:
            out = writer.add_stream_from_template(template)
            written, loop = 0, 0
            while written < megabytes * 2**20:
                for pts, dts, data, key in packets:
                    packet = av.Packet(data)
                    packet.pts, packet.dts = pts + loop * span, dts + loop * span
                    packet.is_keyframe = key
                    packet.stream = out
                    packet.time_base = template.time_base
                    writer.mux(packet)
                    written += len(data)
                loop += 1


def dataset(scratch: Path, clips: int) -> dict[str, Path]:
    """The folders of clips (made once): `small` (N), `hundred`, `sheet` (200), `few` (20
    small), `large` (20 links to a ~500 MB clip of 40 s), `d1` (200 clips at 704x576, a
    common CCTV size), `frames` (one MP4 of 4.4 million tiny frames: a big index)."""
    folders = {name: scratch / name for name in ("small", "hundred", "sheet", "few", "large",
                                                 "d1", "frames")}
    small = folders["small"]
    if len(list(small.rglob("*.mp4"))) != clips:
        shutil.rmtree(small, ignore_errors=True)
        for number in range(clips):
            camera = number % 4 + 1
            folder = small / f"CAM{camera:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            hhmmss = f"{10 + number // 360:02d}{number // 6 % 60:02d}{number % 6 * 10:02d}"
            make_clip(folder / f"ch{camera:02d}_20261120_{hhmmss}.mp4", number)
    everything = sorted(small.rglob("*.mp4"))
    for name, count in (("hundred", 100), ("sheet", 200), ("few", 20)):
        folder = folders[name]
        if len(list(folder.glob("*.mp4"))) != count:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for path in everything[:count]:
                os.link(path, folder / path.name)
    large = folders["large"]
    if len(list(large.glob("*.mp4"))) != 20:
        shutil.rmtree(large, ignore_errors=True)
        large.mkdir(parents=True)
        seed = scratch / "seed-noise.mp4"
        make_clip(seed, 7, frames=25, size=(1280, 720), rate=25, crf=4, noise=True)
        make_large(seed, large / "ch09_20261120_000000.mp4", 500)
        for number in range(1, 20):
            os.link(large / "ch09_20261120_000000.mp4", large / f"ch09_20261120_{number:06d}.mp4")
    d1 = folders["d1"]
    if len(list(d1.glob("*.mp4"))) != 200:
        shutil.rmtree(d1, ignore_errors=True)
        d1.mkdir(parents=True)
        for number in range(200):
            make_clip(d1 / f"ch03_20261120_{number:06d}.mp4", number, frames=25,
                      size=(704, 576), rate=25, crf=26)
    frames = folders["frames"]
    if not list(frames.glob("*.mp4")):
        frames.mkdir(parents=True, exist_ok=True)
        seed = scratch / "seed-tiny.mp4"
        make_clip(seed, 7, frames=250, size=(640, 360), rate=25)
        make_large(seed, frames / "ch08_20261120_000000.mp4", 250)
    return folders


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def ffprobe_all(paths: list[Path], parallel: int) -> tuple[float, dict[Path, dict[str, Any]]]:
    """One `ffprobe -show_format -show_streams` process per file, `parallel` at a time."""
    found: dict[Path, dict[str, Any]] = {}
    start = time.perf_counter()
    pending = list(paths)
    running: list[tuple[Path, subprocess.Popen[bytes]]] = []
    while pending or running:
        while pending and len(running) < parallel:
            path = pending.pop(0)
            running.append((path, subprocess.Popen(
                ["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                 "-show_streams", str(path)], stdout=subprocess.PIPE)))
        path, process = running.pop(0)
        out, _ = process.communicate()
        found[path] = json.loads(out)
    return time.perf_counter() - start, found


def rate(text: str) -> float | None:
    value = Fraction(text) if text not in ("0/0", "") else Fraction(0)
    return float(value) or None


def differences(report: wb.MediaReport, oracle: dict[Path, dict[str, Any]]) -> list[str]:
    """Files whose duration, codec, resolution or frame rates differ from ffprobe's."""
    wrong = []
    for row in report.rows:
        probe = oracle[row.path]
        video = next(s for s in probe["streams"] if s["codec_type"] == "video")
        theirs = (round(float(probe["format"]["duration"]), 3), video["codec_name"],
                  video["width"], video["height"], rate(video["avg_frame_rate"]),
                  rate(video["r_frame_rate"]))
        ours = (round(row.duration_s or 0, 3), row.video_codec, row.width, row.height,
                row.avg_frame_rate, row.real_frame_rate)
        if ours != theirs:
            wrong.append(f"{row.relative}: {ours} != {theirs}")
    return wrong


def peak_rss(work: Callable[[], Any]) -> tuple[float, float]:
    """(seconds, peak MB of this process and its children), sampled every 10 ms."""
    me = psutil.Process()
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    continue
            peak = max(peak, total)
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    seconds, _ = timed(work)
    done.set()
    sampler.join()
    return seconds, peak / 2**20


def fresh_job(folder: Path) -> None:
    """In this fresh process: the first probe of `folder` (the pool starts inside the timing)
    and the second (its workers warm), as JSON on stdout."""
    first, _ = timed(lambda: wb.probe_media(folder, thumbnails=False))
    second, report = timed(lambda: wb.probe_media(folder, thumbnails=False))
    print(json.dumps({"first_s": first, "second_s": second, "rows": len(report.rows),
                      "problems": len(report.problems())}))


def cold_start(folder: Path) -> dict[str, Any]:
    """Medians of three fresh processes probing `folder` twice, and of three ffprobe runs."""
    paths = sorted(folder.glob("*.mp4"))
    runs: dict[str, list[float]] = {"first_s": [], "second_s": [], "ffprobe_s": []}
    for _ in range(REPEAT):
        done = subprocess.run([sys.executable, __file__, "--fresh-job", str(folder)],
                              capture_output=True, text=True, check=True)
        found = json.loads(done.stdout.splitlines()[-1])
        assert found["rows"] == len(paths) and not found["problems"], found
        runs["first_s"].append(found["first_s"])
        runs["second_s"].append(found["second_s"])
        runs["ffprobe_s"].append(ffprobe_all(paths, parallel=1)[0])
    medians: dict[str, Any] = {name: statistics.median(values) for name, values in runs.items()}
    return medians | {"clips": len(paths), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh-job", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench/media"))
    parser.add_argument("--clips", type=int, default=1000)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.environ["WORKBENCH_HOME"] = str(args.scratch / "home")
    if args.fresh_job is not None:
        return fresh_job(args.fresh_job)
    started = time.perf_counter()
    load = os.getloadavg()
    folders = dataset(args.scratch, args.clips)
    paths = sorted(folders["small"].rglob("*.mp4"))

    results: dict[str, Any] = {"clips": len(paths), "cpus": os.cpu_count()}
    results["wb_probe_s"], report = timed(lambda: wb.probe_media(folders["small"],
                                                                thumbnails=False))
    results["wb_probe_again_s"], _ = timed(lambda: wb.probe_media(folders["small"],
                                                                 thumbnails=False))
    results["ffprobe_serial_s"], oracle = ffprobe_all(paths, parallel=1)
    results["ffprobe_2x_s"], _ = ffprobe_all(paths, parallel=2)
    results["same_fields"] = not (wrong := differences(report, oracle))
    results["differences"] = wrong[:10]
    results["problems"] = len(report.problems())
    results["cold_start"] = cold_start(folders["hundred"])

    for key, folder in (("sheet", folders["sheet"]), ("d1_sheet", folders["d1"])):
        trials: dict[str, list[float]] = {"probe_s": [], "probe_with_keyframes_s": [],
                                          "compose_s": []}
        for _ in range(REPEAT):  # round-robin, so drift spreads over all three
            trials["probe_s"].append(timed(
                lambda folder=folder: wb.probe_media(folder, thumbnails=False))[0])
            seconds, media = timed(lambda folder=folder: wb.probe_media(folder))
            trials["probe_with_keyframes_s"].append(seconds)
            seconds, sheet = timed(media.contact_sheet)
            trials["compose_s"].append(seconds)
        results[key] = {name: statistics.median(values) for name, values in trials.items()}
        results[key]["px"] = [sheet.width, sheet.height]

    memory = {}
    for name in ("hundred", "small", "few", "large", "frames"):
        seconds, mb = peak_rss(lambda folder=folders[name]: wb.probe_media(folder))
        size = sum(p.stat().st_size for p in folders[name].glob("**/*.mp4"))
        memory[name] = {"files": len(list(folders[name].glob("**/*.mp4"))),
                        "bytes": size, "seconds": seconds, "peak_mb": mb}
    results["memory"] = memory
    frames_file = next(folders["frames"].glob("*.mp4"))
    timing = subprocess.run(["/usr/bin/time", "-f", "%M", "ffprobe", "-v", "error",
                             "-show_format", "-show_streams", str(frames_file)],
                            capture_output=True, text=True)
    results["ffprobe_frames_peak_mb"] = int(timing.stderr.strip().splitlines()[-1]) / 1024
    results["load_before"] = load
    results["load_after"] = os.getloadavg()
    results["run_s"] = time.perf_counter() - started
    results["when"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results["ffprobe"] = subprocess.run(["ffprobe", "-version"], capture_output=True,
                                        text=True).stdout.split("\n")[0]
    results["pyav"] = f"PyAV {av.__version__}, FFmpeg {av.ffmpeg_version_info}"
    write(args.results, results)


def write(folder: Path, results: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "media.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    probe, serial, pair = (results[k] for k in ("wb_probe_s", "ffprobe_serial_s",
                                                "ffprobe_2x_s"))
    memory = results["memory"]
    lines = [
        f"# Footage benchmark ({results['when']}, {results['cpus']} CPUs, load "
        f"{results['load_before'][0]:.1f} → {results['load_after'][0]:.1f})",
        "",
        f"{results['pyav']}; oracle {results['ffprobe']}.",
        "",
        "| measurement | workbench | peer | ratio | target |",
        "|---|---:|---:|---:|---|",
        f"| probe {results['clips']:,} clips (pool start included) | {probe:.2f} s | "
        f"ffprobe per file {serial:.1f} s | {serial / probe:.1f}x | ≥ 20x: "
        f"{'PASS' if serial / probe >= 20 else 'MISS'} |",
        f"| same, workers warm | {results['wb_probe_again_s']:.2f} s | "
        f"ffprobe per file {serial:.1f} s | {serial / results['wb_probe_again_s']:.1f}x | |",
        f"| same, ffprobe two at a time | {probe:.2f} s | {pair:.1f} s | "
        f"{pair / probe:.1f}x | |",
    ]
    cold = results["cold_start"]
    lines += [
        f"| probe {cold['clips']} clips from a fresh process (pool start included) | "
        f"{cold['first_s']:.2f} s | ffprobe per file {cold['ffprobe_s']:.2f} s | "
        f"{cold['ffprobe_s'] / cold['first_s']:.1f}x | ≥ 20x: "
        f"{'PASS' if cold['ffprobe_s'] / cold['first_s'] >= 20 else 'MISS'} |",
        f"| the same clips again in that process (warm pool) | {cold['second_s']:.2f} s | "
        f"ffprobe per file {cold['ffprobe_s']:.2f} s | "
        f"{cold['ffprobe_s'] / cold['second_s']:.1f}x | ≥ 50x: "
        f"{'PASS' if cold['ffprobe_s'] / cold['second_s'] >= 50 else 'MISS'} |",
    ]
    sheets = (("sheet", "200 small clips (160x90)"), ("d1_sheet", "200 D1 clips (704x576)"))
    for key, label in sheets:
        sheet = results[key]
        whole = (sheet["probe_with_keyframes_s"] + sheet["compose_s"]) / sheet["probe_s"]
        extra = (sheet["probe_with_keyframes_s"] - sheet["probe_s"] + sheet["compose_s"]) / (
            sheet["probe_s"])
        lines += [
            f"| contact sheet of {label}: probe with keyframes + sheet | "
            f"{sheet['probe_with_keyframes_s'] + sheet['compose_s']:.2f} s | probe alone "
            f"{sheet['probe_s']:.2f} s | {whole:.2f}x | < 2x: {'PASS' if whole < 2 else 'MISS'} |",
            f"| same, the sheet's own cost (keyframes + layout) | "
            f"{sheet['probe_with_keyframes_s'] - sheet['probe_s'] + sheet['compose_s']:.2f} s | "
            f"probe alone {sheet['probe_s']:.2f} s | {extra:.2f}x | < 2x: "
            f"{'PASS' if extra < 2 else 'MISS'} |",
        ]
    lines += [
        "",
        f"Same duration, codec, resolution and frame rates as ffprobe for every file: "
        f"{'yes' if results['same_fields'] else 'NO: ' + '; '.join(results['differences'])}.",
        "",
        "| peak RSS (caller + workers, summed) | files | bytes | seconds | peak MB |",
        "|---|---:|---:|---:|---:|",
        *[f"| {name} | {m['files']:,} | {m['bytes']:,} | {m['seconds']:.2f} | "
          f"{m['peak_mb']:.0f} |" for name, m in memory.items()],
        "",
        f"`frames` is one MP4 of 4.4 million frames: FFmpeg loads the whole index (`moov`) of an "
        f"MP4, so memory follows the frame count; `ffprobe` itself peaks at "
        f"{results['ffprobe_frames_peak_mb']:.0f} MB on it.",
        "",
        f"Whole run {results['run_s']:.0f} s.",
    ]
    (folder / "media.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())

"""Nothing in the fleet audit assumes one host: a scheduler and two workers started as separate
processes with the `dask` command (each worker with its own working folder, temp folder and
workbench home, as on another machine), then the audit submitted by address.

    python bench/fleet_hosts.py [--scratch DIR]    # output kept in results/fleet_hosts.txt

On real machines the same runs as `dask scheduler` on one host, `dask worker tcp://HOST:PORT`
on every host that mounts the evidence store at the same path, and
`workbench audit-all STORE --scheduler tcp://HOST:PORT` (or `wb.audit_cases(store,
client="tcp://HOST:PORT")`) anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_store(scratch: Path, cases: int) -> Path:
    import workbench as wb

    os.environ["WORKBENCH_HOME"] = str(scratch / "client-home")
    export = wb.make_sample_evidence(scratch / "usb" / "DVR_EXPORT")
    template = wb.Template(id="flat", name="flat",
                           levels=[wb.TemplateLevel(pattern="{occurrence}")])
    for case in range(cases):
        plan = wb.plan_copy([export], wb.CaseData(occurrence=f"2026-{case:04d}"), template,
                            scratch / "store")
        assert wb.run_copy(plan).outcome == "completed"
    victim = scratch / "store" / "2026-0003" / "DVR_EXPORT" / "export_info.txt"
    victim.chmod(0o644)
    victim.write_text("edited after the copy\n")
    return scratch / "store"


def start(argv: list[str], folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "log.txt").open("wb")
    return subprocess.Popen(argv, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench/fleet-hosts"))
    args = parser.parse_args()
    scratch: Path = args.scratch
    shutil.rmtree(scratch, ignore_errors=True)
    store = make_store(scratch, cases=12)
    address = f"tcp://127.0.0.1:{free_port()}"
    processes = [start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                        address.rsplit(":", 1)[1], "--no-dashboard"],
                       scratch / "scheduler", dict(os.environ))]
    for name in ("worker-a", "worker-b"):
        own = scratch / name
        env = {**os.environ, "WORKBENCH_HOME": str(own / "home"), "TMPDIR": str(own / "tmp")}
        (own / "tmp").mkdir(parents=True)
        processes.append(start([str(DASK), "worker", address, "--name", name, "--nworkers", "1",
                                "--nthreads", "1", "--no-dashboard", "--local-directory",
                                str(own / "dask")], own, env))
    try:
        from distributed import Client

        import workbench as wb

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            pids = client.run(os.getpid)
            names = {address: info["name"]
                     for address, info in client.scheduler_info()["workers"].items()}
        print(f"scheduler: {address} (pid {processes[0].pid}), submitting process pid "
              f"{os.getpid()}")
        for worker, pid in sorted(pids.items()):
            print(f"worker {names[worker]}: {worker} (pid {pid}, cwd {scratch / names[worker]})")
        began = time.perf_counter()
        report = wb.audit_cases(store, client=address)
        print(f"\naudit_cases(store, client={address!r}) in {time.perf_counter() - began:.2f} s: "
              f"{report.summary()['cases_ok']} ok, {report.summary()['cases_failed']} failed, "
              f"workers {report.workers}")
        frame = report.to_frame()
        frame["case_folder"] = [Path(path).name for path in frame["case_folder"]]
        frame["worker"] = [names.get(worker, worker) for worker in frame["worker"]]
        print(frame[["case_folder", "ok", "ok_files", "modified", "worker", "problems"]]
              .to_string(index=False))
        entry = json.loads((store / "2026-0003" / "_evidence" / "custody.jsonl")
                           .read_text().splitlines()[-1])
        print(f"\n2026-0003's own custody log, last entry: {entry['event']} · {entry['outcome']}"
              f" · {entry['counts']}")
        cli = subprocess.run([str(Path(sys.executable).with_name("workbench")), "audit-all",
                              str(store), "--scheduler", address], capture_output=True, text=True,
                             check=False)
        print(f"\nworkbench audit-all STORE --scheduler {address} → exit {cli.returncode}")
        print(cli.stdout.strip().splitlines()[0])
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


if __name__ == "__main__":
    main()

"""Peak memory of an audit against a big list from another tool (issue #19: a list of 10⁶
lines must stay well under 300 MB).

    big_lists.py [--lines N] [--scratch DIR] [--formats sha256 b3 hashdeep csv]

Each list names `--lines` files of a folder that holds only a few of them (the rest are
`missing` rows: the worst case, every entry kept as a row). Each audit runs
`verify_case(folder, against=list)` in a fresh interpreter and reports its seconds and
peak RSS (`VmHWM`). Prints a Markdown table; `--json FILE` keeps the numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PRESENT = 100
"""Files of the folder that exist (the rest of each list is missing)."""
FORMATS = ("sha256", "b3", "hashdeep", "csv")
_AUDIT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from workbench.evidence import verify_case
    started = time.perf_counter()
    report = verify_case(sys.argv[1], against=sys.argv[2])
    seconds = time.perf_counter() - started
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(seconds, peak, len(report.rows), len(report.problems))
""")


def _name(i: int) -> str:
    return f"cam{i % 16:02d}/clip_{i:07d}.mp4"


def make_folder(folder: Path) -> dict[str, bytes]:
    """A folder with `PRESENT` small files; their contents by name."""
    contents = {}
    for i in range(PRESENT):
        path = folder / _name(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = f"clip {i}\n".encode()
        path.write_bytes(data)
        contents[_name(i)] = data
    return contents


def write_list(kind: str, path: Path, lines: int, contents: dict[str, bytes]) -> None:
    """A `kind` list of `lines` entries (the present files with their true digests)."""
    def sha256(i: int) -> str:
        data = contents.get(_name(i))
        return hashlib.sha256(data).hexdigest() if data is not None else f"{i:064x}"

    with path.open("w", encoding="utf-8") as out:
        if kind == "hashdeep":
            out.write("%%%% HASHDEEP-1.0\n%%%% size,sha256,filename\n## Invoked from: /x\n")
        if kind == "csv":
            out.write("Filename,Source Path,Destination Path,Source Hash,Destination Hash,"
                      "Verification Status\n")
        for i in range(lines):
            name, digest = _name(i), sha256(i)
            if kind == "hashdeep":
                out.write(f"{len(contents.get(name, b''))},{digest},{name}\n")
            elif kind == "csv":
                out.write(f"{name.rsplit('/', 1)[1]},/src/{name},/dst/case/{name},{digest},"
                          f"{digest},Verified\n")
            elif kind == "b3":
                from blake3 import blake3
                data = contents.get(name)
                b3 = blake3(data).hexdigest() if data is not None else f"{i:064x}"
                out.write(f"{b3}  {name}\n")
            else:
                out.write(f"{digest}  {name}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wb-bench/big-lists"))
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = args.scratch / "case"
    contents = make_folder(folder)
    results = {}
    names = {"sha256": "list.sha256", "b3": "list.b3", "hashdeep": "known.hashdeep",
             "csv": "Hash_Verification.csv"}
    for kind in args.formats:
        record = args.scratch / f"{kind}-{args.lines}" / names[kind]
        if not record.exists():
            record.parent.mkdir(parents=True, exist_ok=True)
            write_list(kind, record, args.lines, contents)
        done = subprocess.run([sys.executable, "-c", _AUDIT, str(folder), str(record)],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        seconds, peak, rows, problems = done.stdout.split()
        results[kind] = {"lines": args.lines, "seconds": float(seconds), "peak_mb": float(peak),
                         "rows": int(rows), "problems": int(problems),
                         "list_mb": record.stat().st_size / 1e6}
    print(f"load: {os.getloadavg()}")
    print("| list | lines | list MB | rows | seconds | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, row in results.items():
        print(f"| {kind} | {row['lines']:,} | {row['list_mb']:.0f} | {row['rows']:,} | "
              f"{row['seconds']:.1f} | {row['peak_mb']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

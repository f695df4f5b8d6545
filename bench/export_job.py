"""One Case Workbench export in its own process, so its time and peak RSS are its own.

    export_job.py zip|bagit CASE_DIR --out DIR

Prints one JSON line: `seconds` (the `export_case` call only, imports excluded, as in
`wb_job.py`), CPU seconds and the package's size. Exits 1 unless the package is verified.
fpdf2 is loaded untimed, as `wb_job.py` loads it for its baseline copy, so both jobs start
with the same modules; the two case reports an export writes (the one it packages, the one
that lists it) are timed with it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

_T0 = time.perf_counter()

from workbench.exports import export_case  # noqa: E402
from workbench.reports import pdf as _pdf  # noqa: E402, F401  (fpdf2 loads here, untimed)

IMPORT_SECONDS = time.perf_counter() - _T0


def main() -> None:
    """Run the export, print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("format", choices=["zip", "bagit"])
    parser.add_argument("case_dir", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    report = export_case(args.case_dir, args.format, args.out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not report.verified:
        sys.exit(f"export not verified: {report.path}")
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "size": report.size,
                      "files": len(report.members), "import_seconds": IMPORT_SECONDS}))


if __name__ == "__main__":
    main()

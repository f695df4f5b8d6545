"""Whether a case folder's report already shows its record as it is now, so a step that left
the record unchanged (an export packing the report before its own custody line) does not
lay it out again.

The stamp `_evidence/report.state` is written after both report files. It holds the state
of the case folder's files the report was made from (taken before they were read: the
record, and the evidence whose sizes it shows) and the state of the two report files as
written. A state is a SHA-256 over each file's name, size, mtime,
ctime and inode: any write, rename or replacement changes it, and the ctime cannot be set
back. A stamp from another tool version or paper size never matches.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from workbench.atomic import TEMP_SUFFIX, write_atomic
from workbench.evidence.layout import EVIDENCE_DIR, LOCKS, evidence_dir
from workbench.hashing.tree import iter_files
from workbench.reports.model import Paper
from workbench.version import __version__

STATE_FILE = "report.state"
"""The report's stamp, inside the evidence record."""


def _line(name: str, info: os.stat_result) -> bytes:
    return os.fsencode(name) + (f"\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
                                f"\0{info.st_ino}\n").encode()


def record_state(case_dir: Path, html: str, pdf: str) -> str:
    """SHA-256 over the stat of every file of the case folder but the report's own, the
    locks and temporary files: the report shows each evidence file's size on disk, or that
    it is missing, as well as the record."""
    own = {f"{EVIDENCE_DIR}/{name}" for name in (html, pdf, STATE_FILE)}
    sha = hashlib.sha256()
    for name, info in sorted(iter_files(case_dir)):
        if name not in own and Path(name).name not in LOCKS and not name.endswith(TEMP_SUFFIX):
            sha.update(_line(name, info))
    return sha.hexdigest()


def _report_state(case_dir: Path, html: str, pdf: str) -> str:
    """SHA-256 over the stat of the two report files ("missing" for one that cannot be read)."""
    sha = hashlib.sha256()
    for name in (html, pdf):
        try:
            sha.update(_line(name, (evidence_dir(case_dir) / name).lstat()))
        except OSError:
            sha.update(f"{name}\0missing\n".encode())
    return sha.hexdigest()


def _stamp(case_dir: Path, record: str, html: str, pdf: str, paper: Paper) -> str:
    return json.dumps({"tool_version": __version__, "paper": paper, "record": record,
                       "report": _report_state(case_dir, html, pdf)},
                      sort_keys=True)


def stamp_report(case_dir: Path, record: str, html: str, pdf: str, paper: Paper) -> None:
    """Note that the report files just written show the record in state `record`.
    Raises OSError."""
    write_atomic(evidence_dir(case_dir) / STATE_FILE,
                 _stamp(case_dir, record, html, pdf, paper).encode())


def report_is_current(case_dir: Path, html: str, pdf: str, paper: Paper) -> bool:
    """Whether both report files are as they were stamped, and the record as it was when
    they were made."""
    try:
        stamped = (evidence_dir(case_dir) / STATE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    record = record_state(case_dir, html, pdf)
    return stamped == _stamp(case_dir, record, html, pdf, paper)

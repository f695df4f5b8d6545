"""Where things live inside a case folder: the evidence record and the folders audits skip."""

from __future__ import annotations

from pathlib import Path

from workbench.evidence.mhl_format.model import MHL_DIR
from workbench.hashing.algorithms import HashAlgorithm

EVIDENCE_DIR = "_evidence"
"""Sub-folder of each case folder that holds its evidence record (never copied into)."""
DERIVED_DIR = "derived"
"""Top-level folder of a case folder holding files derived from the evidence (playable copies,
timeline videos): never evidence, never in the evidence manifests; checked against its own."""
DERIVED_MANIFEST = "manifest.blake3"
"""The derived folder's own manifest (`b3sum --check` format, paths relative to that folder)."""
RECORD_DIRS: frozenset[str] = frozenset({EVIDENCE_DIR, MHL_DIR, DERIVED_DIR})
"""Top-level folders of a case folder that hold its records or derived files, never
evidence."""
RUNS_DIR = "runs"
"""Sub-folder of the evidence record holding one CSV and one JSON report per run."""
CUSTODY_LOG = "custody.jsonl"
"""The append-only chain-of-custody log, one JSON object per line."""
IDENTITY_FILE = "verified-identity.jsonl"
"""The device, inode, size and times each verified file had when last verified."""
RUN_LOCK = "copy.lock"
"""In the evidence record: the advisory lock a running copy holds."""
RUN_FILE = "copy-run.json"
"""In the evidence record: who is copying into the case folder and which partials it makes."""
MHL_LOCK = "mhl.lock"
"""In the evidence record: the lock that serialises the writers of the case folder's ASC MHL
history (`filelock`: flock on POSIX, `LockFileEx` on Windows)."""
CUSTODY_LOCK = "custody.lock"
"""In the evidence record: the lock that serialises appends to the custody log (each line
names the hash of the one before it)."""
DERIVED_LOCK = "derived.lock"
"""In the evidence record: the advisory lock a run making derived files holds (`run_lock`)."""
DERIVED_RUN_FILE = "derived-run.json"
"""Beside `DERIVED_LOCK`: who is making derived files and which partials it makes."""
LOCKS: frozenset[str] = frozenset({RUN_LOCK, MHL_LOCK, CUSTODY_LOCK, DERIVED_LOCK})
"""Files of the evidence record that are machinery, not record: an export leaves them out."""


def evidence_dir(case_dir: Path) -> Path:
    """The case folder's evidence record."""
    return case_dir / EVIDENCE_DIR


def manifest_path(case_dir: Path, algorithm: HashAlgorithm) -> Path:
    """`_evidence/manifest.<algorithm>`, checkable with `b3sum --check` / `sha256sum -c` ..."""
    return evidence_dir(case_dir) / f"manifest.{algorithm}"


def derived_dir(case_dir: Path) -> Path:
    """The case folder's folder of derived files."""
    return case_dir / DERIVED_DIR

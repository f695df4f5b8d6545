"""Many files hashed from disk at once: each read once with its page cache dropped, several
files at a time on threads, only the algorithms each file needs.

Small files go to the pool in groups: one pool task per small file doubled the CPU time of
an audit (bench/probes/audit_tasks.py).
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import blake3

from workbench.errors import Cancelled, ProcessingError
from workbench.events import CancelToken
from workbench.hashing.algorithms import HashAlgorithm
from workbench.hashing.digests import Digest, new_digest
from workbench.hashing.readback import read_back
from workbench.hashing.stream import CHUNK_SIZE, Buffers, new_buffers

log = logging.getLogger(__name__)

WORKERS = 4
"""Files hashed at once."""
FILES_PER_TASK = 64
"""Files a thread hashes per pool task."""


def list_files(root: Path, skip_top: frozenset[str] = frozenset()) -> dict[str, os.stat_result]:
    """Every non-folder entry under `root` by relative POSIX path (symlinks not followed),
    without the top-level folders named in `skip_top`."""
    found: dict[str, os.stat_result] = {}
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and entry.name in skip_top:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False)
    return found


def is_regular(info: os.stat_result) -> bool:
    """Whether `info` is a regular file (not a symlink, device, fifo or socket)."""
    return stat.S_ISREG(info.st_mode)


@dataclass(frozen=True)
class FileToHash:
    """One file of a hashing run."""

    path: Path
    size: int
    algorithms: Sequence[HashAlgorithm]


class TreeHasher:
    """Hashes `files` (key → file); `run()` gives each key's hex digests by algorithm.

    A file that cannot be read is left out (and logged); a cancel raises
    `ProcessingError(Cancelled)` after the files in flight.
    """

    def __init__(
        self,
        files: Mapping[str, FileToHash],
        *,
        cancel: CancelToken | None = None,
        workers: int = WORKERS,
        on_chunk: Callable[[int, str], None] = lambda n, key: None,
        on_file: Callable[[], None] = lambda: None,
    ) -> None:
        self.files, self.workers = files, workers
        self.cancel = cancel or CancelToken()
        self.on_chunk, self.on_file = on_chunk, on_file
        self._local = threading.local()

    def run(self) -> dict[str, dict[str, str]]:
        keys = list(self.files)
        batches = [keys[i:i + FILES_PER_TASK] for i in range(0, len(keys), FILES_PER_TASK)]
        digests: dict[str, dict[str, str] | None] = {}
        with ThreadPoolExecutor(self.workers, "wb-hash") as pool:
            for batch, results in zip(batches, pool.map(self._hash_batch, batches), strict=True):
                digests.update(zip(batch, results, strict=True))
        if self.cancel.cancelled:
            raise ProcessingError(Cancelled(detail="the check was cancelled"))
        return {key: digest for key, digest in digests.items() if digest is not None}

    def _hash_batch(self, keys: list[str]) -> list[dict[str, str] | None]:
        return [self._hash(key) for key in keys]

    def _hash(self, key: str) -> dict[str, str] | None:
        if self.cancel.cancelled:
            return None
        buffers: Buffers | None = getattr(self._local, "buffers", None)
        if buffers is None:
            buffers = self._local.buffers = new_buffers()
        wanted = self.files[key]
        digests = {alg: _digest(alg, wanted.size) for alg in wanted.algorithms}
        try:
            read_back(wanted.path, buffers, [digest.update for digest in digests.values()],
                      cancel=self.cancel, on_chunk=lambda n: self.on_chunk(n, key))
        except ProcessingError:
            return None
        except OSError:
            log.warning("could not read %s", wanted.path, exc_info=True)
            return None
        finally:
            self.on_file()
        return {alg: str(digest.hexdigest()) for alg, digest in digests.items()}


def _digest(algorithm: HashAlgorithm, size: int) -> Digest:
    """A hash object; blake3 spreads a file larger than one chunk over several threads."""
    if algorithm == "blake3" and size > CHUNK_SIZE:
        return cast(Digest, blake3.blake3(max_threads=blake3.blake3.AUTO))
    return new_digest(algorithm)

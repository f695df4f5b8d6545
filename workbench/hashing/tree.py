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
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import blake3

from workbench.errors import Cancelled, HashingError
from workbench.events import CancelToken
from workbench.hashing import readback
from workbench.hashing.algorithms import Digest, HashAlgorithm
from workbench.hashing.digests import new_digest
from workbench.hashing.stream import CHUNK_SIZE, Buffers, new_buffers

log = logging.getLogger(__name__)

WORKERS = 4
"""Files hashed at once."""
FILES_PER_TASK = 64
"""Files a thread hashes per pool task."""


def iter_files(root: Path, skip_top: frozenset[str] = frozenset()
               ) -> Iterator[tuple[str, os.stat_result]]:
    """Every non-folder entry under `root` by relative POSIX path with its `lstat` (symlinks
    not followed), without the top-level folders named in `skip_top`; one at a time."""
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
                    yield prefix + entry.name, entry.stat(follow_symlinks=False)


def list_files(root: Path, skip_top: frozenset[str] = frozenset()) -> dict[str, os.stat_result]:
    """`iter_files` as a dict: relative POSIX path → `lstat`."""
    return dict(iter_files(root, skip_top))


def is_regular(info: os.stat_result) -> bool:
    """Whether `info` is a regular file (not a symlink, device, fifo or socket)."""
    return stat.S_ISREG(info.st_mode)


@dataclass(frozen=True)
class FileToHash:
    """One file of a hashing run."""

    path: Path
    size: int
    algorithms: Sequence[HashAlgorithm]
    name: str = ""
    """What progress calls it (its path inside the tree)."""


Store = Callable[[int, dict[str, str]], None]
"""Receives file `i`'s hex digests by algorithm, on a worker thread, as soon as it is read."""


class TreeHasher:
    """Hashes `count` files, file `i` described by `file_of(i)`, and hands each one's digests to
    `store(i, digests)`: nothing per file is built or kept here, so 200,000 files cost what
    the caller keeps of them.

    A file of one chunk or less is read with one call (and one that finds its end); a larger
    one streams, blake3 on several threads. A file that cannot be read is not stored (and is
    logged); a cancel raises `HashingError(Cancelled)` after the files in flight.
    """

    def __init__(
        self,
        count: int,
        file_of: Callable[[int], FileToHash],
        store: Store,
        *,
        cancel: CancelToken | None = None,
        workers: int = WORKERS,
        on_chunk: Callable[[int, str], None] = lambda n, name: None,
        on_file: Callable[[], None] = lambda: None,
    ) -> None:
        self.count, self.file_of, self.store, self.workers = count, file_of, store, workers
        self.cancel = cancel or CancelToken()
        self.on_chunk, self.on_file = on_chunk, on_file
        self._local = threading.local()

    def run(self) -> None:
        tasks = [range(i, min(i + FILES_PER_TASK, self.count))
                 for i in range(0, self.count, FILES_PER_TASK)]
        with ThreadPoolExecutor(self.workers, "wb-hash") as pool:
            list(pool.map(self._hash_task, tasks))
        if self.cancel.cancelled:
            raise HashingError(Cancelled(detail="the check was cancelled"))

    def _hash_task(self, indices: range) -> None:
        buffers: Buffers | None = getattr(self._local, "buffers", None)
        if buffers is None:
            buffers = self._local.buffers = new_buffers()
        for i in indices:
            if self.cancel.cancelled:
                return
            self._hash(i, buffers)

    def _hash(self, i: int, buffers: Buffers) -> None:
        wanted = self.file_of(i)
        digests = {alg: _digest(alg, wanted.size) for alg in wanted.algorithms}
        sinks = [digest.update for digest in digests.values()]
        try:
            if wanted.size > CHUNK_SIZE:  # read the next chunk while this one is hashed
                readback.read_back(wanted.path, buffers, sinks, cancel=self.cancel,
                          on_chunk=lambda n: self.on_chunk(n, wanted.name))
            else:
                self._read_small(wanted, buffers[0], sinks)
        except HashingError:
            return
        except OSError:
            log.warning("could not read %s", wanted.path, exc_info=True)
            return
        finally:
            self.on_file()
        self.store(i, {alg: str(digest.hexdigest()) for alg, digest in digests.items()})

    def _read_small(self, wanted: FileToHash, buffer: memoryview,
                    sinks: Sequence[Callable[[memoryview], object]]) -> None:
        """A file of at most one chunk, the shortest way: one read, and one that finds its end
        (a file that grew since it was listed is read whole all the same)."""
        source = readback.open_cold(wanted.path)
        try:
            while count := source.readinto(buffer):
                chunk = buffer[:count]
                for sink in sinks:
                    sink(chunk)
                self.on_chunk(count, wanted.name)
        finally:
            source.close()


def hash_files(files: Mapping[str, FileToHash], *, cancel: CancelToken | None = None,
               workers: int = WORKERS, on_chunk: Callable[[int, str], None] = lambda n, k: None,
               on_file: Callable[[], None] = lambda: None) -> dict[str, dict[str, str]]:
    """Each key's hex digests by algorithm (a file that could not be read has none)."""
    keys = list(files)
    digests: dict[str, dict[str, str]] = {}

    def store(i: int, found: dict[str, str]) -> None:
        digests[keys[i]] = found

    TreeHasher(len(keys), lambda i: files[keys[i]], store, cancel=cancel, workers=workers,
               on_chunk=on_chunk, on_file=on_file).run()
    return digests


def _digest(algorithm: HashAlgorithm, size: int) -> Digest:
    """A hash object; blake3 spreads a file larger than one chunk over several threads."""
    if algorithm == "blake3" and size > CHUNK_SIZE:
        return cast(Digest, blake3.blake3(max_threads=blake3.blake3.AUTO))
    return new_digest(algorithm)

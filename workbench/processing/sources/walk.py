"""Walking a source: every regular file it holds, with what pins it (device, inode, size,
times), or why it cannot be copied. Folders are listed with `os.scandir` (one `stat` per
file); no symlink is followed out of the source."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbench.errors import ProcessingError, Unsupported, payload_from_os_error

KINDS = {
    stat.S_IFSOCK: "socket",
    stat.S_IFIFO: "fifo",
    stat.S_IFBLK: "block device",
    stat.S_IFCHR: "character device",
    stat.S_IFDIR: "folder",
    stat.S_IFLNK: "symlink",
}
"""What a file that is not a regular file is, by its type bits."""


def kind_of(mode: int) -> str:
    """The kind of file `mode` (from a stat) says, for a file that is not regular."""
    return KINDS.get(stat.S_IFMT(mode), "special file")


@dataclass(frozen=True)
class SourceFile:
    """One regular file found in a source (or why it cannot be copied)."""

    path: Path
    relative: PurePosixPath
    size: int
    mtime_ns: int
    refused: Unsupported | None = None
    device: int | None = None
    inode: int | None = None
    ctime_ns: int | None = None

    @property
    def key(self) -> str:
        """The relative path as the manifests spell it."""
        return str(self.relative)


def walk_source(source: Path) -> Iterator[SourceFile]:
    """Every file of a source: the file itself, or a folder's files under the folder's name."""
    info = source.stat()
    if not stat.S_ISDIR(info.st_mode):
        yield _classify(source, PurePosixPath(source.name), info, source.parent)
        return
    real_root = Path(os.path.realpath(source))
    stack = [(_sorted_entries(str(source)), source, PurePosixPath(source.name))]
    while stack:
        entries, folder, relative = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
        elif entry.is_dir(follow_symlinks=False):
            stack.append((_sorted_entries(entry.path), folder / entry.name, relative / entry.name))
        else:
            info = entry.stat(follow_symlinks=False)
            yield _classify(folder / entry.name, relative / entry.name, info, real_root)


def _sorted_entries(folder: str) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda entry: entry.name))
    except OSError as exc:
        raise ProcessingError(payload_from_os_error(exc, folder, "list")) from exc


def _classify(path: Path, relative: PurePosixPath, info: os.stat_result, root: Path) -> SourceFile:
    """A regular file as is; a symlink to a file inside the source as that file; else refused."""
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        if not target.exists():
            return _refused(path, relative, info, "dangling symlink")
        if not target.is_relative_to(root):
            return _refused(path, relative, info, "symlink leaving the source")
        info = target.stat()
        if stat.S_ISDIR(info.st_mode):
            return _refused(path, relative, info, "symlink to a folder")
    if stat.S_ISREG(info.st_mode):
        # A zero device/inode is "not known" (Windows' `DirEntry.stat`): that part is not pinned.
        return SourceFile(path, relative, info.st_size, info.st_mtime_ns, None,
                          info.st_dev or None, info.st_ino or None, info.st_ctime_ns)
    return _refused(path, relative, info, kind_of(info.st_mode))


def _refused(path: Path, relative: PurePosixPath, info: os.stat_result, kind: str) -> SourceFile:
    return SourceFile(path, relative, 0, info.st_mtime_ns, Unsupported(path=str(path), kind=kind))

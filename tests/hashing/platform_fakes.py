"""Fakes of the C library, `fcntl` and kernel32 that record every call and its flags, backed by
real files so the macOS and Windows implementations run whole copies on Linux; and the steps
the platform tests run through each seam."""

from __future__ import annotations

import ctypes
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from workbench.hashing.platform import FileSource, Platform
from workbench.hashing.platform.macos import F_FULLFSYNC, RENAME_EXCL
from workbench.hashing.platform.windows import INVALID_HANDLE_VALUE, Win32
from workbench.hashing.stream import new_buffers, stream

Call = tuple[Any, ...]


@dataclass
class FakeLibC:
    """`renamex_np` (macOS) done for real: EEXIST with RENAME_EXCL when the target exists."""

    calls: list[Call] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    fail_with: dict[str, int] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name not in self.missing

    def call(self, name: str, *args: object) -> None:
        self.calls.append((name, *args))
        if name in self.fail_with:
            code = self.fail_with[name]
            raise OSError(code, os.strerror(code))
        if name != "renamex_np":
            raise AssertionError(f"unexpected C call {name}")
        source, target, flags = args
        assert isinstance(source, bytes) and isinstance(target, bytes) and isinstance(flags, int)
        if flags & RENAME_EXCL and os.path.lexists(target):
            raise OSError(errno.EEXIST, os.strerror(errno.EEXIST))
        Path(os.fsdecode(source)).rename(os.fsdecode(target))


@dataclass
class FakeFcntl:
    """`fcntl.fcntl`: records (fd, command, argument); F_FULLFSYNC becomes a real fsync."""

    calls: list[tuple[int, int, int]] = field(default_factory=list)
    unsupported: set[int] = field(default_factory=set)

    def __call__(self, fd: int, command: int, argument: int) -> int:
        self.calls.append((fd, command, argument))
        if command in self.unsupported:
            raise OSError(errno.ENOTSUP, os.strerror(errno.ENOTSUP))
        if command == F_FULLFSYNC:
            os.fsync(fd)
        return 0

    def commands(self, command: int) -> list[tuple[int, int, int]]:
        return [call for call in self.calls if call[1] == command]


def unextended(name: str) -> str:
    assert name.startswith("\\\\?\\"), f"not an extended-length path: {name}"
    return name[4:]


@dataclass
class FakeKernel32:
    """kernel32 over real files: handles are descriptors, names lose their `\\\\?\\` prefix."""

    calls: list[Call] = field(default_factory=list)
    last_error: int = 0
    handles: dict[int, int] = field(default_factory=dict)

    def _fail(self, code: int) -> int:
        self.last_error = code
        return 0

    def CreateFileW(self, name: str, access: int, share: int, security: None,  # noqa: N802
                    disposition: int, flags: int, template: None) -> int | None:
        self.calls.append(("CreateFileW", name, access, share, disposition, flags))
        try:
            fd = os.open(unextended(name), os.O_RDONLY)
        except FileNotFoundError:
            self.last_error = 2
            return INVALID_HANDLE_VALUE
        handle = 0x1000 + fd
        self.handles[handle] = fd
        return handle

    def ReadFile(self, handle: int, buffer: int, length: int,  # noqa: N802
                 count: ctypes._Pointer[ctypes.c_uint32], overlapped: None) -> int:
        self.calls.append(("ReadFile", handle, buffer, length))
        data = os.read(self.handles[handle], length)
        ctypes.memmove(buffer, data, len(data))
        count.contents.value = len(data)
        return 1

    def CloseHandle(self, handle: int) -> int:  # noqa: N802
        self.calls.append(("CloseHandle", handle))
        os.close(self.handles.pop(handle))
        return 1

    def MoveFileExW(self, source: str, target: str, flags: int) -> int:  # noqa: N802
        self.calls.append(("MoveFileExW", source, target, flags))
        if os.path.lexists(unextended(target)) and not flags & 0x1:
            return self._fail(183)  # ERROR_ALREADY_EXISTS
        Path(unextended(source)).replace(unextended(target))
        return 1

    def FlushFileBuffers(self, handle: int) -> int:  # noqa: N802
        self.calls.append(("FlushFileBuffers", handle))
        os.fsync(handle - 0x2000)
        return 1

    def named(self, name: str) -> list[Call]:
        return [call for call in self.calls if call[0] == name]


def windows_api(kernel32: FakeKernel32) -> Win32:
    """The fake as the Windows implementation sees it; descriptor d has handle 0x2000 + d."""
    return Win32(kernel32, lambda: kernel32.last_error, lambda fd: 0x2000 + fd)


def publish_twice(seam: Platform, folder: Path) -> tuple[Path, Path]:
    """Publish a partial, then another one onto the same name: the second must be refused and
    change nothing. Returns (partial, final)."""
    partial, final = folder / "a.dav.partial", folder / "a.dav"
    partial.write_bytes(b"new")
    seam.publish_no_clobber(partial, final)
    assert final.read_bytes() == b"new" and not partial.exists()
    partial.write_bytes(b"newer")
    with pytest.raises(FileExistsError):
        seam.publish_no_clobber(partial, final)
    assert final.read_bytes() == b"new" and partial.read_bytes() == b"newer"
    return partial, final


def sync_new_file(seam: Platform, path: Path) -> int:
    """Create `path` through the seam and make it durable; returns the (closed) descriptor."""
    fd = seam.open_new(path)
    try:
        seam.fsync(fd)
    finally:
        os.close(fd)
    return fd


def cold_read(seam: Platform, path: Path) -> tuple[FileSource, bytes]:
    """Read `path` back through the seam in chunk buffers; the (closed) source and the bytes."""
    received = bytearray()
    source = seam.open_readback(path)
    try:
        assert source.cache_free
        assert stream(source, new_buffers(), [received.extend]) == len(received)
    finally:
        source.close()
    return source, bytes(received)

"""Windows: a read-back handle opened with `FILE_FLAG_NO_BUFFERING` (the cache manager is
bypassed: buffers page-aligned, reads in whole sectors), `FlushFileBuffers` for durability,
`MoveFileExW` without `MOVEFILE_REPLACE_EXISTING` to publish (works on NTFS, exFAT and FAT,
none of which need hard links for it). No file-system sync and no range write-back: a batch
is made durable file by file, and a big file is read back after it is written."""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from workbench.hashing.platform.base import ClosingSource, Platform

GENERIC_READ = 0x80000000
FILE_SHARE_READ = 0x1
FILE_SHARE_DELETE = 0x4
OPEN_EXISTING = 3
FILE_FLAG_NO_BUFFERING = 0x20000000
"""Reads bypass the cache manager; buffer address, size and offset must be sector multiples."""
FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000
MOVEFILE_REPLACE_EXISTING = 0x1
"""Never passed: without it `MoveFileExW` fails with ERROR_ALREADY_EXISTS."""
MOVEFILE_WRITE_THROUGH = 0x8
"""`MoveFileExW` returns only once the move is on the disk (a folder cannot be fsynced)."""
SECTOR = 4096
"""Alignment of unbuffered reads: a page, a multiple of every sector size (512, 4096)."""
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value
"""What `CreateFileW` returns on failure."""

_ERRNO = {
    2: errno.ENOENT, 3: errno.ENOENT, 5: errno.EACCES, 32: errno.EACCES, 19: errno.EROFS,
    80: errno.EEXIST, 183: errno.EEXIST, 39: errno.ENOSPC, 112: errno.ENOSPC,
    17: errno.EXDEV, 87: errno.EINVAL,
}
"""Win32 error codes (winerror.h) as errnos, so callers type them like any OSError."""


class Kernel32(Protocol):
    """The kernel32 functions the seam calls (ctypes' WinDLL, or a fake in the tests)."""

    def CreateFileW(self, name: str, access: int, share: int, security: None,  # noqa: N802
                    disposition: int, flags: int, template: None, /) -> int | None: ...

    def ReadFile(self, handle: int, buffer: int, length: int,  # noqa: N802
                 count: ctypes._Pointer[ctypes.c_uint32], overlapped: None, /) -> int: ...

    def CloseHandle(self, handle: int, /) -> int: ...  # noqa: N802

    def MoveFileExW(self, source: str, target: str, flags: int, /) -> int: ...  # noqa: N802

    def FlushFileBuffers(self, handle: int, /) -> int: ...  # noqa: N802


class Win32:
    """kernel32, the thread's last Win32 error, and the C runtime's descriptor → handle."""

    def __init__(self, kernel32: Kernel32, last_error: Callable[[], int],
                 handle_of: Callable[[int], int]) -> None:
        self.kernel32, self.last_error, self.handle_of = kernel32, last_error, handle_of

    def error(self, path: Path | str) -> OSError:
        """The last Win32 error as an OSError of the matching errno (FileExistsError, ...)."""
        code = self.last_error()
        describe: Callable[[int], str] = getattr(ctypes, "FormatError", lambda c: "")
        message = describe(code).strip() or f"Windows error {code}"
        return OSError(_ERRNO.get(code, errno.EIO), message, str(path))


def _system() -> Win32:
    import msvcrt

    dll = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle, dword, text = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_wchar_p
    for name, argtypes, restype in (
        ("CreateFileW", [text, dword, dword, handle, dword, dword, handle], handle),
        ("ReadFile", [handle, handle, dword, ctypes.POINTER(dword), handle], ctypes.c_int),
        ("CloseHandle", [handle], ctypes.c_int),
        ("MoveFileExW", [text, text, dword], ctypes.c_int),
        ("FlushFileBuffers", [handle], ctypes.c_int),
    ):
        function = getattr(dll, name)
        function.argtypes, function.restype = argtypes, restype
    last_error: Callable[[], int] = ctypes.get_last_error  # type: ignore[attr-defined]
    handle_of: Callable[[int], int] = msvcrt.get_osfhandle  # type: ignore[attr-defined]
    return Win32(dll, last_error, handle_of)


def extended(path: Path | str) -> str:
    """The absolute `\\\\?\\` form of `path`: no MAX_PATH limit, no name rewriting."""
    text = str(path)
    if text.startswith("\\\\?\\"):
        return text
    text = os.path.abspath(text)  # noqa: PTH100 (collapses `..` as `\\\\?\\` needs; no link resolving)
    if text.startswith("\\\\"):
        return "\\\\?\\UNC\\" + text[2:]
    return "\\\\?\\" + text


class UnbufferedReadBack(ClosingSource):
    """A file read with `FILE_FLAG_NO_BUFFERING`: every byte comes from the device."""

    cache_free = True

    def __init__(self, win32: Win32, path: Path) -> None:
        self._win32, self._path = win32, path
        handle = win32.kernel32.CreateFileW(
            extended(path), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, None,
            OPEN_EXISTING, FILE_FLAG_NO_BUFFERING | FILE_FLAG_SEQUENTIAL_SCAN, None,
        )
        if handle is None or handle == INVALID_HANDLE_VALUE:
            raise win32.error(path)
        self._handle: int | None = handle

    def readinto(self, view: memoryview, /) -> int:
        """Fill the whole sectors of `view` (page-aligned: chunk buffers are `mmap`s)."""
        if self._handle is None:
            raise ValueError("read from a closed read-back")
        length = len(view) - len(view) % SECTOR
        if length == 0:
            raise ValueError(f"an unbuffered read needs a buffer of at least {SECTOR} bytes")
        target = (ctypes.c_char * length).from_buffer(view)
        address = ctypes.addressof(target)
        if address % SECTOR:
            raise ValueError("an unbuffered read needs a page-aligned buffer")
        count = ctypes.c_uint32(0)
        if not self._win32.kernel32.ReadFile(self._handle, address, length,
                                             ctypes.pointer(count), None):
            raise self._win32.error(self._path)
        return count.value

    def close(self) -> None:
        """Close the handle."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            self._win32.kernel32.CloseHandle(handle)


class WindowsPlatform(Platform):
    """Windows (NTFS, ReFS, exFAT, FAT32, SMB shares)."""

    name = "windows"

    def __init__(self, win32: Win32 | None = None) -> None:
        super().__init__()
        self._win32 = win32 if win32 is not None else _system()

    @property
    def cache_free(self) -> bool:
        """True: read-backs go around the cache manager (`FILE_FLAG_NO_BUFFERING`)."""
        return True

    def open_readback(self, path: Path) -> UnbufferedReadBack:
        """`path` opened unbuffered, so the bytes come from the device."""
        return UnbufferedReadBack(self._win32, path)

    def fsync(self, fd: int) -> None:
        """`FlushFileBuffers` on the descriptor's handle: data, metadata and drive cache."""
        if not self._win32.kernel32.FlushFileBuffers(self._win32.handle_of(fd)):
            raise self._win32.error(f"<descriptor {fd}>")

    def fsync_dir(self, folder: Path) -> None:
        """Nothing: a folder cannot be opened as a file, and `publish_no_clobber` moves with
        `MOVEFILE_WRITE_THROUGH`, which returns only once the new entry is on the disk."""

    def publish_no_clobber(self, source: Path, target: Path) -> None:
        """`MoveFileExW` without `MOVEFILE_REPLACE_EXISTING`: FileExistsError if one is there."""
        if not self._win32.kernel32.MoveFileExW(extended(source), extended(target),
                                                MOVEFILE_WRITE_THROUGH):
            raise self._win32.error(target)

"""The C library's calls that Python's `os` module lacks (`renameat2`, `syncfs`)."""

from __future__ import annotations

import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None


def has(name: str) -> bool:
    """Whether the C library has the function `name`."""
    return _libc is not None and hasattr(_libc, name)


def call(name: str, *args: object) -> None:
    """Call `name(*args)`; a non-zero result raises OSError with the C library's errno."""
    if _libc is None or not hasattr(_libc, name):
        raise OSError(errno.ENOSYS, f"{name} is not available")
    if getattr(_libc, name)(*args) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))

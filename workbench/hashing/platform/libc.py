"""The C library's calls that Python's `os` module lacks, with their C prototypes."""

from __future__ import annotations

import ctypes
import errno
import os
from typing import Protocol

_PROTOTYPES: dict[str, tuple[type[ctypes._SimpleCData], ...]] = {  # type: ignore[type-arg]
    "syncfs": (ctypes.c_int,),
    "renameat2": (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint),
    "sync_file_range": (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint),
    "renamex_np": (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint),
}
"""Argument types of every function called: offsets must pass as 64 bits, not as C ints."""


class CLibrary(Protocol):
    """The calls the seam makes into the C library (a fake in the tests)."""

    def has(self, name: str) -> bool:
        """Whether the library has the function `name`."""
        ...

    def call(self, name: str, *args: object) -> None:
        """Call `name(*args)`; a non-zero result raises OSError with the library's errno."""
        ...


class LibC:
    """The process's own C library (glibc, musl, libSystem) through ctypes."""

    def __init__(self) -> None:
        self._lib = ctypes.CDLL(None, use_errno=True)
        for name, argtypes in _PROTOTYPES.items():
            if hasattr(self._lib, name):
                function = getattr(self._lib, name)
                function.argtypes, function.restype = argtypes, ctypes.c_int

    def has(self, name: str) -> bool:
        """Whether the library has the function `name`."""
        return hasattr(self._lib, name)

    def call(self, name: str, *args: object) -> None:
        """Call `name(*args)`; a non-zero result raises OSError with the library's errno."""
        if not self.has(name):
            raise OSError(errno.ENOSYS, f"{name} is not available")
        if getattr(self._lib, name)(*args) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))

"""C4 IDs (SMPTE ST 2114): the reference hash ASC MHL uses to chain its generation files."""

from __future__ import annotations

import hashlib
from pathlib import Path

C4_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
"""Base-58 digits of a C4 ID ('0', 'I', 'O' and 'l' are left out)."""
C4_LENGTH = 90
"""Every C4 ID is `c4` plus 88 base-58 digits, left-padded with the zero digit."""


def c4_id(data: bytes) -> str:
    """The C4 ID of `data`: its SHA-512 digest written in base 58 behind a `c4` prefix."""
    return c4_of_sha512(hashlib.sha512(data).digest())


def c4_of_sha512(digest: bytes) -> str:
    """The C4 ID of the data whose SHA-512 digest is `digest` (for data hashed as it streams)."""
    value = int.from_bytes(digest, "big")
    digits: list[str] = []
    while value:
        value, digit = divmod(value, 58)
        digits.append(C4_ALPHABET[digit])
    return "c4" + "".join(reversed(digits)).rjust(C4_LENGTH - 2, C4_ALPHABET[0])


def c4_to_sha512(c4: str) -> str | None:
    """The SHA-512 hex digest a C4 ID encodes, or None when `c4` is not a well-formed C4 ID."""
    if len(c4) != C4_LENGTH or not c4.startswith("c4"):
        return None
    value = 0
    for char in c4[2:]:
        digit = C4_ALPHABET.find(char)
        if digit < 0:
            return None
        value = value * 58 + digit
    if value >> 512:
        return None
    return value.to_bytes(64, "big").hex()


def c4_of_file(path: Path, chunk: int = 1 << 20) -> str:
    """The C4 ID of a file, read `chunk` bytes at a time (a generation of 200,000 files is
    some 60 MB). Raises OSError."""
    sha512 = hashlib.sha512()
    with path.open("rb") as handle:
        while data := handle.read(chunk):
            sha512.update(data)
    return c4_of_sha512(sha512.digest())

"""Portable folder names: whatever the case data holds, a name that is safe on every system."""

from __future__ import annotations

import re
import unicodedata

from pathvalidate import is_valid_filename, sanitize_filename

MAX_NAME_BYTES = 255
"""Longest folder name, in UTF-8 bytes, that every common file system accepts."""
REPLACEMENT = "_"
"""What stands in for a character that cannot be in a folder name."""

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 and C1 control characters
    "\ud800-\udfff"  # lone surrogates (not encodable)
    "\u2028\u2029"  # line and paragraph separators
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # text-direction controls
)
"""Control characters, lone surrogates, line breaks and text-direction overrides."""


def is_safe_name(name: str) -> bool:
    """True if `name` is one portable folder name that cannot climb out of its parent."""
    return (
        name not in ("", ".", "..")
        and len(name.encode("utf-8")) <= MAX_NAME_BYTES
        and not _UNSAFE.search(name)
        and is_valid_filename(name, platform="universal", fs_encoding="utf-8")
    )


def safe_name(text: str) -> str:
    """`text` as a folder name valid on Windows, macOS and Linux (never empty, `.` or `..`).

    The name is NFC-normalised, so the same case gives the same bytes on every system.
    pathvalidate replaces forbidden characters with `_`, renames reserved names (`CON` →
    `CON_`), strips trailing dots and spaces and truncates to 255 UTF-8 bytes without
    splitting a character. A second pass settles what one pass can leave behind (a name
    that becomes reserved after stripping, or too long after renaming); a name that
    sanitises to nothing becomes `_`.
    """
    name = unicodedata.normalize("NFC", _UNSAFE.sub(REPLACEMENT, text))
    for limit in (MAX_NAME_BYTES, MAX_NAME_BYTES - len(REPLACEMENT) * 2):
        name = sanitize_filename(
            name, replacement_text=REPLACEMENT, platform="universal", max_len=limit,
            fs_encoding="utf-8",
        )
        if name in (".", ".."):
            name = REPLACEMENT * len(name)
        if is_safe_name(name):
            return name
    return REPLACEMENT

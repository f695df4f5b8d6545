"""File names as XML, HTML and PDF can hold them.

A Linux file name may contain control characters, and one that is not UTF-8 decodes with
lone surrogates (`surrogateescape`); XML 1.0 cannot carry either, and they break HTML and
PDF text. They are shown instead: a control character as its Unicode control picture
(U+0001 → `␁`), an undecodable byte as `\\xNN`. Every other text passes unchanged.
"""

from __future__ import annotations

import re

_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _substitute(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return "\ufffd"


def shown(text: str) -> str:
    """`text` with every character XML 1.0 / HTML / PDF cannot hold made visible."""
    return _UNSHOWABLE.sub(_substitute, text)

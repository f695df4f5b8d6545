"""strftime for folder names: the same text on every machine, whatever its locale.

`datetime.strftime` writes month and day names in the process locale (`%b` is `nov.` in a
French session, `Nov` in an English one) and pads with the C library's rules, so one case
could be filed under two folder names. Here the names (`%a %A %b %B %h %p`) and the
locale's composite forms (`%c %x %X`) are always English/C, and a `-` after the `%` drops
the zero padding of a number (`%-d` → `5`) on every platform, not only glibc. Every other
directive is passed to `strftime` one at a time; text between directives is kept as is.
"""

from __future__ import annotations

import re
from datetime import datetime

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
"""English month names, January first."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""English day names, Monday first (`datetime.weekday()` order)."""

_DIRECTIVE = re.compile(r"%(-?)(.)", re.DOTALL)
_COMPOSITE = {"c": "%a %b %e %H:%M:%S %Y", "x": "%m/%d/%y", "X": "%H:%M:%S", "D": "%m/%d/%y"}
"""The C locale's forms of the locale-dependent composite directives."""


def _named(moment: datetime, code: str) -> str | None:
    """The English text of a name directive, or None if `code` is not one."""
    if code in ("b", "h"):
        return MONTHS[moment.month - 1][:3]
    if code == "B":
        return MONTHS[moment.month - 1]
    if code == "a":
        return WEEKDAYS[moment.weekday()][:3]
    if code == "A":
        return WEEKDAYS[moment.weekday()]
    if code == "p":
        return "AM" if moment.hour < 12 else "PM"
    if code == "e":
        return f"{moment.day:2d}"
    return None


def format_datetime(moment: datetime, spec: str) -> str:
    """`moment` written by the strftime `spec`, independent of the locale (see the module)."""

    def directive(match: re.Match[str]) -> str:
        unpadded, code = match.groups()
        if code == "%":
            return "%"
        if code in _COMPOSITE:
            text = format_datetime(moment, _COMPOSITE[code])
        else:
            named = _named(moment, code)
            text = named if named is not None else moment.strftime("%" + code)
        if unpadded:
            stripped = text.lstrip("0 ")
            text = stripped if stripped or not text else "0"
        return text

    return _DIRECTIVE.sub(directive, spec)

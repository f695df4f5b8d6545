"""Template patterns: `str.format` placeholders naming case fields, rendered here.

A placeholder is `{field}`, `{field:spec}` or `{field!c:spec}`. Date fields take a strftime
spec (`{video_start:%Y-%m-%d_%H%M}`), written the same in every locale (English month and day
names; `%-d` drops a number's zero padding everywhere, see `strftime`); text fields take an
ordinary format spec (`{occurrence:.12}`). The conversions `!u` and `!l` upper- or lower-case
the formatted text, so an agency's military date is `{video_start!u:%d%b%y_%H%M}` →
`20NOV26_1400`.

A fallback may list alternatives separated by `|`, tried in order: the first whose fields are
all filled is used, and an empty alternative drops the level (`|` is forbidden in Windows
names, so it never has to be written literally).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from workbench.cases import DATETIME_FIELDS, TEMPLATE_FIELDS
from workbench.templates.strftime import format_datetime

CONVERSIONS: dict[str, Callable[[str], str]] = {"u": str.upper, "l": str.lower}
"""`!u` upper-cases and `!l` lower-cases a placeholder's formatted text."""
DEFAULT_DATETIME_SPEC = "%Y-%m-%d_%H%M"
"""How a date field without a spec is written."""
ALTERNATIVE_SEPARATOR = "|"
"""Separates the alternatives of a fallback."""

_SAMPLE_DATETIME = datetime(2026, 11, 20, 14, 0, 0)
_SAMPLE_TEXT = "sample"

Value = str | datetime | None
"""A case value a placeholder may name."""


@dataclass(frozen=True)
class Placeholder:
    """One `{field!conversion:spec}` of a pattern."""

    field: str
    spec: str
    conversion: str | None

    def render(self, value: str | datetime) -> str:
        """The formatted, converted text of `value`."""
        if isinstance(value, datetime):
            text = format_datetime(value, self.spec or DEFAULT_DATETIME_SPEC)
        else:
            text = format(value, self.spec)
        return CONVERSIONS[self.conversion](text) if self.conversion else text

    def problem(self) -> str | None:
        """Why this placeholder cannot be rendered, or None if it can."""
        shown = "{" + self.field + "}"
        if self.field not in TEMPLATE_FIELDS:
            if not self.field:
                return "{} needs a case field name, e.g. {occurrence}"
            known = ", ".join(sorted(TEMPLATE_FIELDS))
            return f"{shown} is not a case field (known fields: {known})"
        if self.conversion is not None and self.conversion not in CONVERSIONS:
            return f"{shown} has unknown conversion !{self.conversion} (use !u or !l)"
        if "{" in self.spec or "}" in self.spec:
            return f"{shown} has a placeholder inside its format spec {self.spec!r}"
        is_date = self.field in DATETIME_FIELDS
        if is_date and self.spec and "%" not in self.spec:
            return f"{shown} is a date and needs a strftime spec like %Y-%m-%d, not {self.spec!r}"
        if not is_date and "%" in self.spec:
            return f"{shown} is text and takes no strftime spec ({self.spec!r})"
        try:
            self.render(_SAMPLE_DATETIME if is_date else _SAMPLE_TEXT)
        except (ValueError, UnicodeError) as exc:
            return f"{shown} has an invalid format spec {self.spec!r} ({exc})"
        return None


Segment = str | Placeholder
"""Literal text or a placeholder."""


def parse_pattern(pattern: str) -> list[Segment]:
    """The literal text and placeholders of `pattern`; ValueError on unbalanced braces."""
    segments: list[Segment] = []
    for literal, field, spec, conversion in string.Formatter().parse(pattern):
        if literal:
            segments.append(literal)
        if field is not None:
            segments.append(Placeholder(field, spec or "", conversion))
    return segments


def placeholders(segments: list[Segment]) -> list[Placeholder]:
    """The placeholders among `segments`."""
    return [segment for segment in segments if isinstance(segment, Placeholder)]


def missing_field(segments: list[Segment], values: Mapping[str, Value]) -> str | None:
    """The first field the segments name that is empty in `values`, or None."""
    for placeholder in placeholders(segments):
        if values.get(placeholder.field) in (None, ""):
            return placeholder.field
    return None


def render(segments: list[Segment], values: Mapping[str, Value]) -> str:
    """The segments with every placeholder filled (all of its fields must be present)."""
    parts = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
        else:
            value = values[segment.field]
            assert value is not None, f"{segment.field} is empty; check missing_field first"
            parts.append(segment.render(value))
    return "".join(parts)


def alternatives(fallback: str) -> list[str]:
    """The alternatives of a fallback, in the order they are tried."""
    return fallback.split(ALTERNATIVE_SEPARATOR)


def drops_level(alternative: str) -> bool:
    """True for an empty (or blank) alternative, which drops the level."""
    return not alternative.strip()

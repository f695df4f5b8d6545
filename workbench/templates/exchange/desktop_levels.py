"""One level of the desktop app's templates, rewritten as a workbench level that names every
case the way the app does.

The app fills a level differently from the workbench. It picks the pattern by which of
business and location are filled (`conditionals`), replaces each `{token}` with its value or
with nothing when the value is empty, and uses the level's fallback (`UNKNOWN` by default)
only when the whole name came out blank; a name that is still empty drops the level. A
workbench level instead tries its pattern, then each `|` alternative of its fallback, and
takes the first whose fields are all filled.

So the app's rule is tabulated: for every combination of filled and empty optional fields the
level mentions (at most six, so at most 64 rows), the app's name is worked out as literal text
and placeholders. Each row becomes one alternative, most-filled first, and where an
alternative must not be used unless a field is filled that it does not show, it carries a
zero-width guard `{business:.0}` (a text field cut to no characters). Alternatives and guards
are then removed one at a time for as long as every combination still resolves to the app's
name, which leaves the short form a person would write (`{business} @ {location}` with
fallback `{business}|{location}|NO_LOCATION`). When no list reproduces every combination
(a guard on a date, or a name dropped in one combination but not in a more complete one),
the closest list is kept and the combinations that differ are reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from workbench.templates.pattern import ALTERNATIVE_SEPARATOR
from workbench.templates.types import TemplateLevel

TOKEN = re.compile(r"\{(\w+)\}")
"""A placeholder as the app finds it (anything else in braces stays literal text)."""
OPTIONAL_TEXT = ("business", "location", "technician", "badge_number")
"""Text fields of a case that may be empty (a guard can require them)."""
OPTIONAL_DATES = ("video_start", "video_end")
"""Date fields of a case that may be empty."""
SELECTORS = ("business", "location")
"""The fields whose presence picks one of a level's `conditionals`."""
DEFAULT_FALLBACK = "UNKNOWN"
"""The app's fallback of a level that names none."""


@dataclass(frozen=True)
class Token:
    """How one app token is written as a workbench placeholder."""

    field: str
    spec: str = ""
    conversion: str | None = None
    dated: bool = False
    """True for the video times, whose form the level's `dateFormat` chooses."""


TOKENS: dict[str, Token] = {
    "occurrence_number": Token("occurrence"),
    "business_name": Token("business"),
    "location_address": Token("location"),
    "technician_name": Token("technician"),
    "badge_number": Token("badge_number"),
    "video_start_datetime": Token("video_start", dated=True),
    "video_end_datetime": Token("video_end", dated=True),
    "current_datetime": Token("intake_time", "%Y-%m-%d_%H%M%S"),
    "current_date": Token("intake_time", "%Y-%m-%d"),
    "year": Token("intake_time", "%Y"),
}
"""The app's tokens; `current_datetime`, `current_date` and `year` are the intake time."""
DATE_FORMATS: dict[str | None, tuple[str, str | None]] = {
    "military": ("%-d%b%y_%H%M", "u"),  # 5NOV26_1400: day unpadded, English month, capitals
    "iso": ("%Y-%m-%d_%H%M", None),  # 2026-11-05_1400
    None: ("%Y-%m-%d %H:%M:%S", None),  # no dateFormat: Python's plain text of the time
}
"""strftime spec and conversion of the video times under each `dateFormat`."""


@dataclass(frozen=True)
class Field:
    """A placeholder in an alternative; a guard renders nothing but needs its field filled."""

    name: str
    spec: str = ""
    conversion: str | None = None
    guard: bool = False

    def text(self) -> str:
        if self.guard:
            return "{" + self.name + ":.0}"
        conversion = f"!{self.conversion}" if self.conversion else ""
        return "{" + self.name + conversion + (f":{self.spec}" if self.spec else "") + "}"


Segment = str | Field
Name = tuple[Segment, ...]
"""A name as literal text and placeholders (adjacent text merged, no empty text)."""
DROP: Literal["drop"] = "drop"
Outcome = Name | Literal["drop"]
"""A name, or `DROP` when the level gives no folder."""
Present = frozenset[str]
"""The optional fields that are filled in one combination."""


@dataclass
class Spec:
    """One level (or archive name) of the app, with what is needed to render it."""

    pattern: str
    fallback: str | None
    conditionals: Mapping[str, str]
    date_format: str | None
    unknown: set[str]
    """Tokens the app does not know (it writes nothing for them), filled in while rendering."""

    def render(self, text: str, present: Present) -> Name:
        """`text` as the app fills it: a token of an empty or unknown field writes nothing."""
        parts: list[Segment] = []
        position = 0
        for match in TOKEN.finditer(text):
            parts.append(text[position:match.start()])
            position = match.end()
            token = TOKENS.get(match.group(1))
            if token is None:
                self.unknown.add(match.group(1))
            elif token.field in present or token.field not in (*OPTIONAL_TEXT, *OPTIONAL_DATES):
                spec, conversion = (DATE_FORMATS[self.date_format] if token.dated
                                    else (token.spec, token.conversion))
                parts.append(Field(token.field, spec, conversion))
        parts.append(text[position:])
        return normalised(parts)

    def fields(self) -> set[str]:
        """The optional fields this level's texts mention (and the selectors it tests)."""
        texts = [self.pattern, self.fallback or "", *self.conditionals.values()]
        found = {
            TOKENS[token].field for text in texts for token in TOKEN.findall(text)
            if token in TOKENS
        } & {*OPTIONAL_TEXT, *OPTIONAL_DATES}
        return found | set(SELECTORS) if self.conditionals else found

    def level_outcome(self, present: Present) -> Outcome:
        """The folder name the app makes for a level (its `_build_level_component`)."""
        pattern = self.pattern
        if self.conditionals:
            business, location = (name in present for name in SELECTORS)
            if not (business and location):
                key = "business_only" if business else "location_only" if location else "neither"
                pattern = self.conditionals.get(key, pattern)
        name = self.render(pattern, present)
        if is_blank(name):
            name = self.render(DEFAULT_FALLBACK if self.fallback is None else self.fallback,
                               present)
        return name if name else DROP


def normalised(parts: Iterable[Segment]) -> Name:
    """Adjacent literal text merged, empty text removed."""
    merged: list[Segment] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += part
                continue
        merged.append(part)
    return tuple(merged)


def is_blank(name: Name) -> bool:
    """True when the name holds no placeholder and only white space (the app's `strip()`)."""
    return all(isinstance(part, str) and not part.strip() for part in name)


def needs(alternative: Outcome) -> set[str]:
    """The fields an alternative needs filled before the workbench uses it."""
    if alternative == DROP:
        return set()
    return {part.name for part in alternative if isinstance(part, Field)}


def shown(alternative: Outcome) -> Outcome:
    """What an alternative renders: blank text drops the level (`drops_level`); otherwise its
    guards write nothing (a guard alone renders an empty name, which the app never makes)."""
    if alternative == DROP or is_blank(alternative):
        return DROP
    return normalised(part for part in alternative if not (isinstance(part, Field)
                                                           and part.guard))


def first_match(alternatives: list[Outcome], present: Present) -> Outcome | None:
    """What the workbench resolves: the first alternative whose fields are filled."""
    filled = present | {"occurrence", "intake_time"}
    for alternative in alternatives:
        if needs(alternative) <= filled:
            return shown(alternative)
    return None


class LevelCompiler:
    """The shortest workbench alternatives that reproduce `outcome` for every combination."""

    def __init__(self, fields: Iterable[str], outcome: Callable[[Present], Outcome]) -> None:
        names = sorted(fields)
        self.combinations: list[Present] = [
            frozenset(chosen) for size in range(len(names), -1, -1)
            for chosen in combinations(names, size)
        ]
        """Every combination of filled fields, most filled first."""
        self.expected = {present: outcome(present) for present in self.combinations}

    def differences(self, alternatives: list[Outcome]) -> list[Present]:
        """The combinations `alternatives` resolve differently from the app."""
        return [present for present in self.combinations
                if first_match(alternatives, present) != self.expected[present]]

    def compile(self) -> tuple[list[Outcome], list[Present]]:
        """The alternatives, and the combinations they still get wrong (none, normally)."""
        alternatives = [self._guarded(present) for present in self.combinations]
        wrong = self.differences(alternatives)
        if wrong:
            return _without_inner_drops(alternatives), self.differences(
                _without_inner_drops(alternatives))
        while (shorter := self._one_shorter(alternatives)) is not None:
            alternatives = shorter
        return alternatives, []

    def _guarded(self, present: Present) -> Outcome:
        name = self.expected[present]
        if name == DROP:
            return DROP
        shown_fields = needs(name)
        guards = [Field(field, guard=True) for field in sorted(present)
                  if field in OPTIONAL_TEXT and field not in shown_fields]
        return (*name, *guards)

    def _one_shorter(self, alternatives: list[Outcome]) -> list[Outcome] | None:
        """The list with one alternative or one guard less that is still exact, if any."""
        for index in range(len(alternatives)):
            fewer = alternatives[:index] + alternatives[index + 1:]
            if fewer and not self.differences(fewer):
                return fewer
        for index, alternative in enumerate(alternatives):
            if alternative == DROP:
                continue
            for position, part in enumerate(alternative):
                if isinstance(part, Field) and part.guard:
                    lighter = (*alternative[:position], *alternative[position + 1:])
                    trial = [*alternatives[:index], lighter, *alternatives[index + 1:]]
                    if not self.differences(trial):
                        return trial
        return None


def _without_inner_drops(alternatives: list[Outcome]) -> list[Outcome]:
    """A workbench level can drop only in its last alternative."""
    kept = [alternative for alternative in alternatives[:-1] if alternative != DROP]
    return [*kept, alternatives[-1]] if alternatives else []


def alternative_text(alternative: Outcome) -> str:
    """The workbench pattern text of an alternative (`""` for a drop)."""
    if alternative == DROP:
        return ""
    text = "".join(
        part.text() if isinstance(part, Field)
        else part.replace("{", "{{").replace("}", "}}").replace(ALTERNATIVE_SEPARATOR, "_")
        for part in alternative
    )
    return text


def as_level(alternatives: list[Outcome]) -> TemplateLevel | None:
    """The level of a compiled list (None when every combination drops it)."""
    if not alternatives or alternatives[0] == DROP:
        return None
    rest = [alternative_text(alternative) for alternative in alternatives[1:]]
    return TemplateLevel(pattern=alternative_text(alternatives[0]),
                         fallback=ALTERNATIVE_SEPARATOR.join(rest) if rest else None)


def describe(present: Present, fields: Iterable[str]) -> str:
    """A combination in words: `business and location filled, video_start empty`."""
    filled = [name for name in sorted(fields) if name in present]
    empty = [name for name in sorted(fields) if name not in present]
    parts = [f"{', '.join(filled)} filled" if filled else "",
             f"{', '.join(empty)} empty" if empty else ""]
    return "; ".join(part for part in parts if part) or "always"

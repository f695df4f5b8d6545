"""The desktop app's template file (`folder_templates.json`, version 1.0.0) as workbench templates.

Its shape: `{"version": "1.0.0", "templates": {<id>: {"templateName", "templateDescription",
"structure": {"levels": [{"pattern", "fallback", "conditionals": {"business_only",
"location_only", "neither"}, "dateFormat": "military" | "iso"}]}, "archiveNaming":
{"pattern", "fallbackPattern"}}}}`, with tokens such as `{occurrence_number}` and
`{video_start_datetime}` (see `desktop_levels.TOKENS`). Each level is rewritten so that it
names a case exactly as the app does (`desktop_levels`). Whatever has no workbench
counterpart (`documentsPlacement`, a level's `prefix`, a token the app does not know, ...) is
listed by name with what became of it; nothing is dropped silently. A file that is not of
this shape is a `CorruptFile` naming the JSON path of the first problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from workbench.errors import CorruptFile, TemplateError
from workbench.templates.exchange import desktop_levels as dl
from workbench.templates.types import Template, TemplateLevel

DESKTOP_VERSION = "1.0.0"
"""The version of the app's file format that is read (any 1.x is accepted)."""
DEFAULT_ARCHIVE_PATTERN = "{occurrence_number}_Video_Recovery.zip"
"""The app's archive name when a template sets none."""
CONDITIONAL_KEYS = ("business_only", "location_only", "neither")
"""The `conditionals` the app knows."""
_TEMPLATE_KEYS = frozenset({"templateName", "templateDescription", "structure",
                            "archiveNaming"})
_LEVEL_KEYS = frozenset({"pattern", "fallback", "conditionals", "dateFormat"})
_ARCHIVE_KEYS = frozenset({"pattern", "fallbackPattern"})
_ARCHIVE_CLEANUP = ((re.compile(r"\s+@\s*"), " "), (re.compile(r"\s{2,}"), " "))
"""How the app tidies an archive name left with a lone `@` or double spaces by empty fields."""
_MARK = 0xE000
"""Private-use characters stand for placeholders while the archive name is tidied."""


class Incoming(NamedTuple):
    """One template read from a file, before it is stored."""

    template: Template
    source_id: str
    """Its id in the file."""
    unmapped: list[str]
    """What of it could not be carried over, by name, with what became of it."""


def is_desktop_document(document: object) -> bool:
    """True for a document shaped like the app's template file (`templates` keyed by id)."""
    return isinstance(document, dict) and isinstance(document.get("templates"), dict)


def template_id(key: str) -> str:
    """A workbench template id (slug) for the app's template key."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", key.lower()).lstrip("-_")[:64].rstrip("-_")
    return slug or "imported-template"


class DesktopReader:
    """Reads one document of the app's format from `source` (named in every error)."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def corrupt(self, where: str, detail: str) -> TemplateError:
        return TemplateError(CorruptFile(path=str(self.source), detail=f"{where}: {detail}"))

    def read(self, document: Mapping[str, Any]) -> tuple[list[Incoming], list[str]]:
        """The templates of the document and what of the file itself was not used."""
        version = document.get("version", DESKTOP_VERSION)
        if not isinstance(version, str) or version.split(".")[0] != DESKTOP_VERSION.split(".")[0]:
            raise self.corrupt("version", f"{version!r} is not a version 1 template file")
        unmapped = [f"{key}: not part of a template; ignored" for key in document
                    if key not in ("version", "templates")]
        incoming = [self._template(str(key), raw) for key, raw in document["templates"].items()]
        return incoming, unmapped

    def _template(self, key: str, raw: object) -> Incoming:
        where = f"templates.{key}"
        body = self._object(where, raw)
        unmapped = [f"{name}: no workbench counterpart; ignored" for name in body
                    if name not in _TEMPLATE_KEYS]
        name = self._text(f"{where}.templateName", body.get("templateName", key))
        description = self._text(f"{where}.templateDescription",
                                 body.get("templateDescription", ""))
        structure = self._object(f"{where}.structure", body.get("structure"))
        unmapped += [f"structure.{name}: no workbench counterpart; ignored" for name in structure
                     if name != "levels"]
        raw_levels = structure.get("levels")
        if not isinstance(raw_levels, list) or not raw_levels:
            raise self.corrupt(f"{where}.structure.levels", "must be a non-empty list")
        levels = []
        for index, raw_level in enumerate(raw_levels):
            level, notes = self._level(f"{where}.structure.levels.{index}", raw_level)
            unmapped += [f"levels.{index}.{note}" for note in notes]
            if level is not None:
                levels.append(level)
        archive, notes = self._archive(f"{where}.archiveNaming", body.get("archiveNaming"))
        unmapped += [f"archiveNaming.{note}" for note in notes]
        template = Template(id=template_id(key), name=name.strip() or key,
                            description=description.strip(), levels=levels,
                            archive_name=archive)
        return Incoming(template, key, unmapped)

    def _level(self, where: str, raw: object) -> tuple[TemplateLevel | None, list[str]]:
        body = self._object(where, raw)
        notes = [f"{name}: no workbench counterpart (the app does not use it either); ignored"
                 for name in body if name not in _LEVEL_KEYS]
        pattern = self._text(f"{where}.pattern", body.get("pattern"))
        fallback = body.get("fallback")
        fallback = None if fallback is None else self._text(f"{where}.fallback", fallback)
        conditionals = self._object(f"{where}.conditionals", body.get("conditionals", {}))
        for key, value in conditionals.items():
            self._text(f"{where}.conditionals.{key}", value)
        notes += [f"conditionals.{key}: not a condition the app knows; ignored"
                  for key in conditionals if key not in CONDITIONAL_KEYS]
        date_format = body.get("dateFormat")
        if date_format is not None and date_format not in dl.DATE_FORMATS:
            notes.append(f"dateFormat: {date_format!r} is neither military nor iso; the video "
                         "times are written as plain text")
            date_format = None
        spec = dl.Spec(pattern, fallback,
                       {k: v for k, v in conditionals.items() if k in CONDITIONAL_KEYS},
                       date_format, set())
        level, compile_notes = _compiled(spec, spec.level_outcome)
        if level is None:
            compile_notes.append("the app never makes a folder for this level; left out")
        if date_format is None and _mentions_dates(spec):
            compile_notes.append("dateFormat: not set, so the video times are written as "
                                 "2026-11-05 14:00:00 (the app writes its own date text)")
        return level, notes + compile_notes

    def _archive(self, where: str, raw: object) -> tuple[TemplateLevel, list[str]]:
        body = self._object(where, {} if raw is None else raw)
        notes = [f"{name}: no workbench counterpart; ignored" for name in body
                 if name not in _ARCHIVE_KEYS]
        pattern = self._text(f"{where}.pattern", body.get("pattern", DEFAULT_ARCHIVE_PATTERN))
        if "fallbackPattern" in body:
            self._text(f"{where}.fallbackPattern", body["fallbackPattern"])
            notes.append("fallbackPattern: never used (the app falls back only when its "
                         "pattern cannot be filled, and an empty field simply writes nothing)")
        spec = dl.Spec(pattern, None, {}, None, set())
        level, compile_notes = _compiled(spec, lambda present: _archive_outcome(spec, present))
        if _mentions_dates(spec):
            compile_notes.append("pattern: the video times are written as 2026-11-05 14:00:00 "
                                 "(the app writes its own date text in archive names)")
        assert level is not None, "an archive name is never dropped"
        return level, notes + compile_notes

    def _object(self, where: str, value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.corrupt(where, f"must be an object, not {_kind(value)}")
        return value

    def _text(self, where: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.corrupt(where, f"must be text, not {_kind(value)}")
        return value


def _compiled(spec: dl.Spec, outcome: Any) -> tuple[TemplateLevel | None, list[str]]:
    """The level reproducing `outcome`, and notes on unknown tokens and inexact combinations."""
    fields = spec.fields()
    alternatives, wrong = dl.LevelCompiler(fields, outcome).compile()
    notes = [f"pattern: {{{token}}} is not a field the app knows; it writes nothing for it, "
             "and so does this template" for token in sorted(spec.unknown)]
    notes += [f"pattern: cannot be reproduced exactly when {dl.describe(present, fields)}"
              for present in wrong]
    return dl.as_level(alternatives), notes


def _archive_outcome(spec: dl.Spec, present: dl.Present) -> dl.Outcome:
    """The archive name the app makes: filled like a level without a date format, tidied
    (a lone `@`, double spaces) when an empty or unknown field left a gap, trimmed."""
    name = spec.render(spec.pattern, present)
    optional = {*dl.OPTIONAL_TEXT, *dl.OPTIONAL_DATES}
    gap = any(
        token not in dl.TOKENS or (dl.TOKENS[token].field in optional
                                   and dl.TOKENS[token].field not in present)
        for token in dl.TOKEN.findall(spec.pattern)
    )
    fields = [part for part in name if isinstance(part, dl.Field)]
    text = "".join(chr(_MARK + fields.index(part)) if isinstance(part, dl.Field) else part
                   for part in name)
    if gap:
        for pattern, replacement in _ARCHIVE_CLEANUP:
            text = pattern.sub(replacement, text)
    text = text.strip() or ".zip"
    return dl.normalised(
        fields[ord(char) - _MARK] if _MARK <= ord(char) < _MARK + len(fields) else char
        for char in text
    )


def _mentions_dates(spec: dl.Spec) -> bool:
    texts = [spec.pattern, spec.fallback or "", *spec.conditionals.values()]
    return any(dl.TOKENS.get(token, dl.Token("")).dated
               for text in texts for token in dl.TOKEN.findall(text))


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            type(None): "null"}.get(type(value), "a number")

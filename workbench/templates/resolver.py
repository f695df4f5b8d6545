"""Resolve a template for a case: one portable folder name per level, never leaving the root."""

from __future__ import annotations

from pathlib import PurePosixPath

from workbench.cases import CaseData
from workbench.errors import FieldProblem, MissingField, TemplateError, ValidationError
from workbench.templates.names import MAX_NAME_BYTES, safe_name
from workbench.templates.pattern import (
    Value,
    alternatives,
    drops_level,
    missing_field,
    parse_pattern,
    render,
)
from workbench.templates.types import (
    ARCHIVE_SUFFIX,
    DEFAULT_ARCHIVE_NAME,
    ResolvedLevel,
    ResolvedPath,
    Template,
    TemplateLevel,
)
from workbench.templates.validator import validate_template


def _resolve_level(index: int, level: TemplateLevel, values: dict[str, Value]) -> ResolvedLevel:
    segments = parse_pattern(level.pattern)
    missing = missing_field(segments, values)
    if missing is None:
        name = safe_name(render(segments, values))
        return ResolvedLevel(pattern=level.pattern, value=name, used_fallback=False)
    if level.fallback is None:
        raise TemplateError(MissingField(level=index, field=missing, pattern=level.pattern))
    needed = missing
    for alternative in alternatives(level.fallback):
        if drops_level(alternative):
            return ResolvedLevel(pattern=level.pattern, value=None, used_fallback=True)
        segments = parse_pattern(alternative)
        missing = missing_field(segments, values)
        if missing is None:
            name = safe_name(render(segments, values))
            return ResolvedLevel(pattern=level.pattern, value=name, used_fallback=True)
        needed = missing
    raise TemplateError(MissingField(level=index, field=needed, pattern=level.fallback))


def resolve_path(template: Template, case: CaseData) -> ResolvedPath:
    """The case folder `template` makes for `case`, relative to a destination root.

    Raises `TemplateError`: `ValidationError` for an invalid template or when every level is
    dropped (the case folder would be the root itself), `MissingField` when a level needs an
    empty field and no fallback alternative can stand in.
    """
    validate_template(template)
    values = case.template_values()
    levels = [_resolve_level(i, level, values) for i, level in enumerate(template.levels)]
    names = [level.value for level in levels if level.value is not None]
    if not names:
        raise TemplateError(ValidationError.of([FieldProblem(
            field="levels", message="were all dropped for this case, so the case folder "
            "would be the destination root itself",
        )], actual=template.id))
    return ResolvedPath(template_id=template.id, relative=PurePosixPath(*names), levels=levels)


ARCHIVE_LEVEL = -1
"""The level index a `MissingField` of the archive name carries."""


def resolve_archive_name(template: Template | None, case: CaseData) -> str:
    """The file name of a ZIP export of `case`: the template's `archive_name` (or, without
    one or without a template, `{occurrence}_evidence.zip`) resolved like a level,
    sanitised, ending in `.zip`.

    Raises `TemplateError` like `resolve_path` (`MissingField` with level -1).
    """
    if template is not None:
        validate_template(template)
    level = (template and template.archive_name) or DEFAULT_ARCHIVE_NAME
    resolved = _resolve_level(ARCHIVE_LEVEL, level, case.template_values()).value
    assert resolved is not None, "the validator refuses an archive name that can be dropped"
    if resolved.lower().endswith(ARCHIVE_SUFFIX):
        resolved = resolved[: -len(ARCHIVE_SUFFIX)]
    room = MAX_NAME_BYTES - len(ARCHIVE_SUFFIX)
    stem = resolved.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return safe_name(stem + ARCHIVE_SUFFIX)

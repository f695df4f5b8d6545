"""Template validation: every problem at once, each tied to its field and level."""

from __future__ import annotations

import re

from workbench.errors import FieldProblem, TemplateError, ValidationError
from workbench.templates.pattern import alternatives, drops_level, parse_pattern
from workbench.templates.types import MAX_LEVELS, Template

TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""A template id: a slug that is also its file name (matched in full)."""


def is_template_id(value: str) -> bool:
    """True if `value` is a valid template id."""
    return TEMPLATE_ID.fullmatch(value) is not None


def pattern_problems(pattern: str) -> list[str]:
    """What is wrong with one pattern (or fallback alternative), as sentence fragments."""
    try:
        segments = parse_pattern(pattern)
    except ValueError as exc:
        return [f"has unbalanced braces ({exc}); write {{{{ or }}}} for a literal brace"]
    return [
        problem for segment in segments
        if not isinstance(segment, str) and (problem := segment.problem()) is not None
    ]


def _level_problems(
    field: str, index: int | None, pattern: str, fallback: str | None, *, may_drop: bool = True
) -> list[FieldProblem]:
    """The problems of one level (`field` `levels.<index>`, or `archive_name`)."""
    def problem(part: str, message: str) -> FieldProblem:
        return FieldProblem(field=f"{field}.{part}", message=message, level=index)

    found = [problem("pattern", "is empty")] if not pattern.strip() else [
        problem("pattern", message) for message in pattern_problems(pattern)
    ]
    if fallback is None:
        return found
    options = alternatives(fallback)
    for position, alternative in enumerate(options):
        if drops_level(alternative):
            if not may_drop:
                found.append(problem("fallback", "has an empty alternative, but an archive "
                                     "always needs a name"))
            elif position < len(options) - 1:
                found.append(problem(
                    "fallback", "has an empty alternative before the last one, so the rest "
                    "is never used",
                ))
            continue
        found.extend(problem("fallback", message) for message in pattern_problems(alternative))
    return found


def template_problems(template: Template) -> list[FieldProblem]:
    """Every problem of `template` (empty when it is valid), in field order."""
    problems = []
    if not is_template_id(template.id):
        problems.append(FieldProblem(
            field="id", message="must be 1 to 64 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit",
        ))
    if not template.name.strip():
        problems.append(FieldProblem(field="name", message="is empty"))
    if not template.levels:
        problems.append(FieldProblem(field="levels", message="is empty; add at least one level"))
    elif len(template.levels) > MAX_LEVELS:
        problems.append(FieldProblem(
            field="levels", message=f"has {len(template.levels)} levels; at most {MAX_LEVELS} "
            "are allowed",
        ))
    for index, level in enumerate(template.levels):
        problems.extend(_level_problems(f"levels.{index}", index, level.pattern, level.fallback))
    if template.archive_name is not None:
        name = template.archive_name
        problems.extend(
            _level_problems("archive_name", None, name.pattern, name.fallback, may_drop=False)
        )
    return problems


def validate_template(template: Template) -> None:
    """Raise `TemplateError(ValidationError)` listing every problem of `template`, if any."""
    if problems := template_problems(template):
        raise TemplateError(ValidationError.of(problems, actual=template.id[:80]))

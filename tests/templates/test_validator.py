"""Template validation: every problem, with its field and level, and nothing but typed errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cases import CaseData
from workbench.errors import FieldProblem, TemplateError, ValidationError
from workbench.templates import (
    MAX_LEVELS,
    Template,
    TemplateLevel,
    resolve_path,
    template_problems,
    validate_template,
)


def problems_of(*patterns: str, fallback: str | None = None) -> list[FieldProblem]:
    levels = [TemplateLevel(pattern=p, fallback=fallback) for p in patterns]
    return template_problems(Template(id="t", name="T", levels=levels))


def test_valid_template_has_no_problems() -> None:
    assert problems_of("{occurrence}", "{video_start!u:%d%b%y_%H%M}", "{business:.20}") == []


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("{colour}", "not a case field"),
        ("{}", "needs a case field name"),
        ("{0}", "not a case field"),
        ("{business.upper}", "not a case field"),
        ("{business!r}", "unknown conversion !r"),
        ("{business:%Y}", "takes no strftime spec"),
        ("{video_start:>10}", "needs a strftime spec"),
        ("{business:=5d}", "invalid format spec"),
        ("{video_start:{business}}", "placeholder inside its format spec"),
        ("{business", "unbalanced braces"),
        ("business}", "unbalanced braces"),
    ],
)
def test_pattern_problems_name_level_and_field(pattern: str, words: str) -> None:
    (problem,) = problems_of("{occurrence}", pattern)
    assert problem.field == "levels.1.pattern" and problem.level == 1
    assert words in problem.message


def test_every_problem_is_returned() -> None:
    template = Template(id="Bad Id", name=" ", levels=[
        TemplateLevel(pattern="{colour}", fallback="{size}|"),
        TemplateLevel(pattern=""),
    ])
    problems = template_problems(template)
    assert [(p.field, p.level) for p in problems] == [
        ("id", None), ("name", None), ("levels.0.pattern", 0), ("levels.0.fallback", 0),
        ("levels.1.pattern", 1),
    ]


def test_no_levels_and_too_many_levels() -> None:
    (none,) = template_problems(Template(id="t", name="T", levels=[]))
    assert none.field == "levels"
    many = [TemplateLevel(pattern="{occurrence}")] * (MAX_LEVELS + 1)
    (problem,) = template_problems(Template(id="t", name="T", levels=many))
    assert problem.field == "levels" and str(MAX_LEVELS) in problem.message


@pytest.mark.parametrize("template_id", ["a", "default", "x-1_2", "9" * 64])
def test_good_ids(template_id: str) -> None:
    assert template_problems(Template(id=template_id, name="n", levels=[
        TemplateLevel(pattern="x")
    ])) == []


@pytest.mark.parametrize("template_id", ["", "-a", "_a", "A", "a b", "a/b", "..", "9" * 65, "a\n"])
def test_bad_ids(template_id: str) -> None:
    problems = template_problems(Template(id=template_id, name="n", levels=[
        TemplateLevel(pattern="x")
    ]))
    assert [p.field for p in problems] == ["id"]


def test_empty_alternative_before_the_last_is_flagged() -> None:
    (problem,) = problems_of("{business}", fallback="{location}||unknown")
    assert problem.field == "levels.0.fallback" and "never used" in problem.message


def test_validate_raises_a_typed_error_with_all_problems() -> None:
    template = Template(id="t", name="", levels=[TemplateLevel(pattern="{colour}")])
    with pytest.raises(TemplateError) as info:
        validate_template(template)
    payload = info.value.payload
    assert isinstance(payload, ValidationError)
    assert payload.field == "name" and len(payload.problems) == 2
    assert str(info.value).startswith("Invalid name: is empty; invalid ")


TOKENS = [
    "{", "}", "{{", "}}", ":", "!", "!u", "!l", "%", "%Y", "%d%b", "|", "/", "..", " ", "x",
    "occurrence", "video_start", "business", "real_end", "colour", "\x00", "é", "\ud800",
]


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.one_of(st.text(), st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)),
    fallback=st.none() | st.lists(st.sampled_from(TOKENS), max_size=8).map("".join),
)
def test_arbitrary_patterns_validate_or_raise_typed_errors(
    pattern: str, fallback: str | None
) -> None:
    try:
        template = Template(id="t", name="T", levels=[
            TemplateLevel(pattern=pattern, fallback=fallback)
        ])
        validate_template(template)
        resolve_path(template, CaseData(occurrence="1", business="b", video_start="2026-01-01"))
    except TemplateError as exc:
        assert str(exc).endswith(".")

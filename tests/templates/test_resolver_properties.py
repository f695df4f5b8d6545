"""Property tests: no case data and no template can make a path leave its root."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cases import DATETIME_FIELDS, TEMPLATE_FIELDS, CaseData
from workbench.errors import CaseError, TemplateError
from workbench.templates import Template, TemplateLevel, resolve_path
from workbench.templates.storage import bundled_templates_dir, parse_template

PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = [
    ".", "..", "...", "/", "\\", "../..", "..\\..", "CON", "nul", "COM1.txt", "aux.", "LPT9 ",
    " ", "\t", "\x00", "\x7f", "\u2028", "\u202e", "a/../../b", "~", "$HOME", "*?<>|\":",
    "é" * 200, "👩‍👩‍👧" * 40, "e\u0301" * 300, "ﬁ", "Ⅻ", "\ufeff",
]
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(),
    st.text(st.characters(codec="utf-8"), min_size=1000, max_size=1000),
    st.lists(st.sampled_from(NASTY), max_size=8).map("".join),
)
occurrence = st.one_of(st.sampled_from(NASTY), st.text(max_size=199)).map(
    lambda s: s if s.strip() else s[:199] + "x"
)
moment = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9000, 1, 1),
    timezones=st.none() | st.just(timezone.utc) | st.just(timezone(timedelta(hours=-5))),
)
offset = st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400))


@st.composite
def cases(draw: st.DrawFn) -> CaseData:
    start = draw(st.none() | moment)
    length = draw(st.none() | st.timedeltas(timedelta(0), timedelta(days=30)))
    fields = {
        name: draw(st.none() | text)
        for name in ("business", "location", "technician", "badge_number", "notes")
    }
    try:
        return CaseData(
            occurrence=draw(occurrence), video_start=start,
            video_end=None if start is None or length is None else start + length,
            dvr_offset=draw(st.none() | offset), **fields,
        )
    except CaseError:
        # Text that normalises to blank or too long an occurrence: a typed refusal is fine.
        return CaseData(occurrence="fallback-case")


@st.composite
def placeholders(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(TEMPLATE_FIELDS)))
    conversion = draw(st.sampled_from(["", "!u", "!l"]))
    if name in DATETIME_FIELDS:
        spec = draw(st.sampled_from(["", ":%Y", ":%d%b%y_%H%M", ":%Y-%m-%d %H:%M:%S", ":%A %%"]))
    else:
        spec = draw(st.sampled_from(["", ":.5", ":>3"]))
    return "{" + name + conversion + spec + "}"


@st.composite
def patterns(draw: st.DrawFn) -> str:
    literal = st.sampled_from(NASTY) | st.text(max_size=20).map(
        lambda s: s.replace("{", "{{").replace("}", "}}")
    )
    parts = draw(st.lists(literal | placeholders(), max_size=4))
    return "".join(parts) or "x"


@st.composite
def templates(draw: st.DrawFn) -> Template:
    levels = []
    for _ in range(draw(st.integers(1, 5))):
        fallback = draw(st.none() | st.lists(st.just("") | patterns(), min_size=1, max_size=3).map(
            lambda options: "|".join(o for o in options if o) + ("|" if "" in options else "")
        ))
        levels.append(TemplateLevel(pattern=draw(patterns()), fallback=fallback))
    return Template(id="generated", name="Generated", levels=levels)


def bundled() -> list[Template]:
    folder = bundled_templates_dir()
    return [
        parse_template(Path(entry.name), entry.read_bytes())
        for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(".json")
    ]


@PROPERTY
@given(template=st.sampled_from(bundled()), case=cases())
def test_bundled_templates_stay_inside_the_root(
    template: Template, case: CaseData, tmp_path: Path, assert_inside: Callable[..., None]
) -> None:
    try:
        resolved = resolve_path(template, case)
    except TemplateError as exc:
        assert exc.type == "MissingField"
        return
    assert_inside(resolved, tmp_path)


@settings(PROPERTY, max_examples=100)
@given(template=templates(), case=cases())
def test_generated_templates_stay_inside_the_root(
    template: Template, case: CaseData, tmp_path: Path, assert_inside: Callable[..., None]
) -> None:
    try:
        resolved = resolve_path(template, case)
    except TemplateError as exc:
        assert exc.type in ("MissingField", "ValidationError")
        return
    assert_inside(resolved, tmp_path)

"""Resolving templates: placeholders, military dates, fallbacks, dropped levels, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from workbench.cases import CaseData
from workbench.errors import MissingField, TemplateError, ValidationError
from workbench.templates import Template, TemplateLevel, resolve_path


def make(*levels: TemplateLevel) -> Template:
    return Template(id="t", name="T", levels=list(levels))


def level(pattern: str, fallback: str | None = None) -> TemplateLevel:
    return TemplateLevel(pattern=pattern, fallback=fallback)


def test_resolves_one_folder_per_level(case: CaseData) -> None:
    template = make(
        level("{occurrence}"), level("{business} @ {location}"),
        level("{video_start:%Y-%m-%d_%H%M}_to_{video_end:%Y-%m-%d_%H%M}"),
    )
    resolved = resolve_path(template, case)
    assert resolved.relative == PurePosixPath(
        "2026-004512/Corner Store @ 123 Main St/2026-11-20_1400_to_2026-11-20_1530"
    )
    assert resolved.template_id == "t"
    assert [lv.used_fallback for lv in resolved.levels] == [False, False, False]


def test_military_date_is_upper_cased_after_formatting(case: CaseData) -> None:
    resolved = resolve_path(make(level("{video_start!u:%d%b%y_%H%M}")), case)
    assert str(resolved.relative) == "20NOV26_1400"


def test_lower_case_conversion(case: CaseData) -> None:
    assert str(resolve_path(make(level("{business!l}")), case).relative) == "corner store"


def test_real_start_is_dvr_corrected() -> None:
    case = CaseData(occurrence="1", video_start="2026-11-20T14:00", dvr_offset="DVR is 1h30m ahead")
    resolved = resolve_path(make(level("{real_start:%H%M}"), level("{dvr_offset}")), case)
    assert resolved.relative == PurePosixPath("1230/+01_30_00")


def test_fallback_chain_takes_the_first_complete_alternative() -> None:
    template = make(
        level("{occurrence}"),
        level("{business} @ {location}", "{business}|{location}|unknown premises"),
    )
    chain = [
        ({"business": "Shop", "location": "Main St"}, "Shop @ Main St", False),
        ({"business": "Shop"}, "Shop", True),
        ({"location": "Main St"}, "Main St", True),
        ({}, "unknown premises", True),
    ]
    for fields, expected, used_fallback in chain:
        resolved = resolve_path(template, CaseData(occurrence="1", **fields))
        assert resolved.relative == PurePosixPath("1", expected)
        assert resolved.levels[1].used_fallback is used_fallback


def test_missing_field_without_fallback_names_level_and_field() -> None:
    template = make(level("{occurrence}"), level("{business} @ {location}"))
    with pytest.raises(TemplateError) as info:
        resolve_path(template, CaseData(occurrence="1", business="Shop"))
    payload = info.value.payload
    assert payload == MissingField(level=1, field="location", pattern="{business} @ {location}")
    assert "Level 2" in str(info.value) and "'location'" in str(info.value)


def test_missing_field_in_every_alternative_names_the_last_one() -> None:
    template = make(level("{business}", "{location}|{technician}"))
    with pytest.raises(TemplateError) as info:
        resolve_path(template, CaseData(occurrence="1"))
    assert info.value.payload == MissingField(
        level=0, field="technician", pattern="{location}|{technician}"
    )


def test_empty_fallback_drops_the_level() -> None:
    template = make(level("{occurrence}"), level("{business}", ""), level("{location}", "x"))
    resolved = resolve_path(template, CaseData(occurrence="1"))
    assert resolved.relative == PurePosixPath("1/x")
    assert resolved.levels[1].value is None and resolved.levels[1].used_fallback
    frame = resolved.to_frame()
    assert frame["value"].isna().tolist() == [False, True, False]
    assert frame["used_fallback"].tolist() == [False, True, True]


def test_all_levels_dropped_is_a_typed_error() -> None:
    with pytest.raises(TemplateError) as info:
        resolve_path(make(level("{business}", "")), CaseData(occurrence="1"))
    assert info.value.type == "ValidationError" and "root" in str(info.value)


def test_invalid_template_is_refused_before_resolving(case: CaseData) -> None:
    with pytest.raises(TemplateError) as info:
        resolve_path(make(level("{colour}")), case)
    assert isinstance(info.value.payload, ValidationError)
    assert info.value.payload.field == "levels.0.pattern"


@pytest.mark.parametrize(
    ("business", "expected"),
    [("../../etc", ".._.._etc"), ("..", "__"), ("a/b", "a_b"), ("CON", "CON_"), ("x\x00y", "x_y")],
)
def test_case_data_cannot_escape_the_root(
    tmp_path: Path, business: str, expected: str, assert_inside: Callable[..., None]
) -> None:
    resolved = resolve_path(make(level("{business}")), CaseData(occurrence="1", business=business))
    assert resolved.relative == PurePosixPath(expected)
    assert_inside(resolved, tmp_path)


def test_literal_separators_in_a_pattern_stay_in_one_folder(case: CaseData) -> None:
    resolved = resolve_path(make(level("{occurrence}/../{business}")), case)
    assert resolved.relative.parts == ("2026-004512_.._Corner Store",)

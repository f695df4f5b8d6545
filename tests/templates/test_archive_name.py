"""The archive name of a case: the template's pattern resolved like a level, ending in .zip."""

from __future__ import annotations

import pytest

from workbench.cases import CaseData
from workbench.errors import MissingField, TemplateError
from workbench.templates import (
    Template,
    TemplateLevel,
    resolve_archive_name,
    save_template,
    template_problems,
)


def template(archive: TemplateLevel | None) -> Template:
    return Template(id="t", name="T", levels=[TemplateLevel(pattern="{occurrence}")],
                    archive_name=archive)


def test_the_default_is_occurrence_evidence_zip(case: CaseData) -> None:
    assert resolve_archive_name(template(None), case) == "2026-004512_evidence.zip"
    assert resolve_archive_name(None, case) == "2026-004512_evidence.zip"


def test_a_pattern_with_a_fallback_and_zip_added(case: CaseData) -> None:
    archive = TemplateLevel(pattern="{occurrence} {business} {video_start!u:%-d%b%y}",
                            fallback="{occurrence}_Video")
    assert resolve_archive_name(template(archive), case) == "2026-004512 Corner Store 20NOV26.zip"
    bare = CaseData(occurrence="2026-004512")
    assert resolve_archive_name(template(archive), bare) == "2026-004512_Video.zip"


def test_the_name_is_sanitised_and_keeps_its_extension() -> None:
    archive = TemplateLevel(pattern="{occurrence}{occurrence}.ZIP")
    hostile = CaseData(occurrence="../../etc/passwd:" + "é" * 180)
    name = resolve_archive_name(template(archive), hostile)
    assert name.endswith(".zip") and "/" not in name and ":" not in name
    assert len(name.encode()) <= 255
    assert resolve_archive_name(template(TemplateLevel(pattern="CON")),
                                CaseData(occurrence="1")) == "CON_.zip"


def test_a_missing_field_names_the_archive_name(case: CaseData) -> None:
    archive = TemplateLevel(pattern="{badge_number}")
    with pytest.raises(TemplateError) as caught:
        resolve_archive_name(template(archive), case)
    assert isinstance(caught.value.payload, MissingField)
    assert caught.value.payload.level == -1
    assert str(caught.value).startswith("The archive name ('{badge_number}') needs")


def test_an_archive_name_cannot_be_dropped_or_malformed(workbench_home: object) -> None:
    bad = template(TemplateLevel(pattern="{nope}", fallback="{occurrence}|"))
    fields = {problem.field for problem in template_problems(bad)}
    assert fields == {"archive_name.pattern", "archive_name.fallback"}
    with pytest.raises(TemplateError):
        save_template(bad)

"""The desktop app's folder_templates.json: imported templates name cases as the app does."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from desktop_app import folder_names
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cases import CaseData
from workbench.errors import CorruptFile, TemplateError
from workbench.templates import get_template, resolve_archive_name, resolve_path
from workbench.templates.exchange import import_templates
from workbench.templates.exchange.desktop_format import DesktopReader

FIXTURE = Path(__file__).with_name("folder_templates.json")
INTAKE = datetime(2026, 11, 6, 9, 15, 30, tzinfo=timezone.utc)


def case(**fields: Any) -> CaseData:
    return CaseData(occurrence="2026-004512", intake_time=INTAKE, **fields)


FULL = case(business="Corner Store", location="123 Main St", video_start="2026-11-05T14:00",
            video_end="2026-11-05T15:30", technician="A. Analyst", badge_number="4711")


def names(template_id: str, data: CaseData) -> str:
    return str(resolve_path(get_template(template_id), data).relative)


@pytest.fixture
def imported() -> dict[str, Any]:
    report = import_templates(FIXTURE)
    assert report.format == "desktop-app"
    return {item.id: item for item in report.templates}


def test_every_template_of_the_file_is_imported(imported: dict[str, Any]) -> None:
    assert [(item.source_id, item.id, item.levels) for item in imported.values()] == [
        ("default_forensic", "default_forensic", 3), ("rcmp_basic", "rcmp_basic", 3),
        ("agency_simple", "agency_simple", 3), ("Every Token", "every-token", 5),
    ]
    assert get_template("default_forensic").name == "Default Forensic Structure"


@pytest.mark.parametrize(("template_id", "data", "expected"), [
    ("default_forensic", FULL,
     "2026-004512/Corner Store @ 123 Main St/5NOV26_1400_to_5NOV26_1530_DVR_Time"),
    ("default_forensic", case(business="Corner Store", video_start="2026-11-25T09:05"),
     "2026-004512/Corner Store/25NOV26_0905_to__DVR_Time"),
    ("default_forensic", case(location="123 Main St"), "2026-004512/123 Main St/_to__DVR_Time"),
    ("default_forensic", case(), "2026-004512/NO_LOCATION/_to__DVR_Time"),
    ("rcmp_basic", FULL, "FILE_2026-004512_2026/123 Main St/2026-11-05_1400_UTC"),
    ("rcmp_basic", case(), "FILE_2026-004512_2026/NO_LOCATION/_UTC"),
    ("agency_simple", FULL, "CASE_2026-004512/Corner Store_123 Main St/2026-11-05_1400"),
    ("agency_simple", case(business="Corner Store"), "CASE_2026-004512/Corner Store/UNKNOWN"),
    ("agency_simple", case(), "CASE_2026-004512/LOCATION_UNKNOWN/UNKNOWN"),
    ("every-token", FULL,
     "2026/2026-11-06_A. Analyst_4711/5NOV26_1530/2026-004512 {}/2026-11-05 14_00_00"),
    ("every-token", case(badge_number="4711"), "2026/2026-11-06__4711/2026-004512 {}/UNKNOWN"),
])
def test_cases_resolve_to_the_app_folder_names(
    imported: dict[str, Any], template_id: str, data: CaseData, expected: str
) -> None:
    assert names(template_id, data) == expected
    raw = json.loads(FIXTURE.read_text())["templates"][imported[template_id].source_id]
    assert "/".join(folder_names(raw, data)) == expected


def test_archive_names_follow_archive_naming(imported: dict[str, Any]) -> None:
    assert resolve_archive_name(get_template("default_forensic"), FULL) == (
        "2026-004512 Corner Store @ 123 Main St Video Recovery.zip")
    assert resolve_archive_name(get_template("default_forensic"), case(location="Main St")) == (
        "2026-004512 Main St Video Recovery.zip")
    assert resolve_archive_name(get_template("rcmp_basic"), FULL) == (
        "FILE_2026-004512_2026_Corner Store_Evidence.zip")
    assert resolve_archive_name(get_template("agency_simple"), FULL) == (
        "2026-004512_Video_Recovery.zip")


def test_what_cannot_be_carried_over_is_reported_by_name(imported: dict[str, Any]) -> None:
    notes = {key: item.unmapped for key, item in imported.items()}
    assert notes["default_forensic"][0].startswith("documentsPlacement:")
    assert any(note.startswith("archiveNaming.fallbackPattern:")
               for note in notes["default_forensic"])
    every = " | ".join(notes["every-token"])
    for name in ("metadata:", "levels.0.prefix:", "levels.0.suffix:", "{case_type}",
                 "levels.4.dateFormat:"):
        assert name in every
    report = import_templates(FIXTURE, "rename")
    assert report.unmapped == ["lastModified: not part of a template; ignored"]


@pytest.mark.parametrize(("document", "where"), [
    ({"version": "2.0.0", "templates": {}}, "version"),
    ({"templates": {"a": []}}, "templates.a"),
    ({"templates": {"a": {"structure": {"levels": []}}}}, "templates.a.structure.levels"),
    ({"templates": {"a": {"structure": {"levels": [{"fallback": "x"}]}}}},
     "templates.a.structure.levels.0.pattern"),
    ({"templates": {"a": {"structure": {"levels": [{"pattern": 3}]}}}},
     "templates.a.structure.levels.0.pattern"),
    ({"templates": {"a": {"structure": {"levels": [
        {"pattern": "{business_name}", "conditionals": {"neither": None}}]}}}},
     "templates.a.structure.levels.0.conditionals.neither"),
    ({"templates": {"a": {"templateName": ["x"], "structure": {"levels": [{"pattern": "x"}]}}}},
     "templates.a.templateName"),
    ({"templates": {"a": {"structure": {"levels": [{"pattern": "x"}]},
                          "archiveNaming": {"pattern": 1}}}}, "templates.a.archiveNaming.pattern"),
])
def test_a_malformed_app_file_names_the_json_path_and_imports_nothing(
    tmp_path: Path, document: dict[str, Any], where: str
) -> None:
    file = tmp_path / "folder_templates.json"
    good = json.loads(FIXTURE.read_text())["templates"]
    file.write_text(json.dumps({**document, "templates": {**good, **document["templates"]}}))
    folder = tmp_path / "templates"
    with pytest.raises(TemplateError) as caught:
        import_templates(file, directory=folder)
    assert isinstance(caught.value.payload, CorruptFile)
    assert caught.value.payload.detail.startswith(f"{where}:")
    assert not folder.exists() or not list(folder.glob("*.json"))


def test_two_keys_with_one_slug_are_both_kept(tmp_path: Path) -> None:
    level = {"structure": {"levels": [{"pattern": "{occurrence_number}"}]}}
    file = tmp_path / "t.json"
    file.write_text(json.dumps({"version": "1.0.0", "templates": {"Agency A": level,
                                                                  "agency-a": level}}))
    report = import_templates(file, directory=tmp_path / "templates")
    assert [(t.source_id, t.id, t.action) for t in report.templates] == [
        ("Agency A", "agency-a", "imported"), ("agency-a", "agency-a-2", "renamed")]


# -- every combination of tokens, conditionals, fallbacks and date formats --------------

TOKENS = ["occurrence_number", "business_name", "location_address", "video_start_datetime",
          "video_end_datetime", "technician_name", "badge_number", "current_datetime", "year",
          "current_date", "unknown_thing"]
LITERALS = ["", " @ ", "_", "_to_", "FILE_", " ", "NO_LOCATION", "{", "}", "|", "x"]

texts = st.lists(st.one_of(st.sampled_from(LITERALS),
                           st.sampled_from(TOKENS).map(lambda token: "{" + token + "}")),
                 max_size=4).map("".join)
levels = st.fixed_dictionaries(
    {"pattern": texts.filter(str.strip)},
    optional={
        "fallback": texts,
        "dateFormat": st.sampled_from(["military", "iso"]),
        "conditionals": st.dictionaries(
            st.sampled_from(["business_only", "location_only", "neither"]), texts),
    },
)
cases = st.builds(
    case,
    business=st.sampled_from([None, "Corner Store"]),
    location=st.sampled_from([None, "123 Main St"]),
    video_start=st.sampled_from([None, datetime(2026, 1, 2, 3, 4)]),
    video_end=st.sampled_from([None, datetime(2026, 12, 31, 23, 59)]),
    technician=st.sampled_from([None, "A. Analyst"]),
    badge_number=st.sampled_from([None, "4711"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(levels=st.lists(levels, min_size=1, max_size=3), data=st.lists(cases, min_size=8,
                                                                       max_size=8))
def test_an_imported_template_names_every_case_as_the_app(
    levels: list[dict[str, Any]], data: list[CaseData]
) -> None:
    raw = {"templateName": "T", "structure": {"levels": levels}}
    incoming, _ = DesktopReader(Path("t.json")).read({"templates": {"t": raw}})
    [(template, _, unmapped)] = incoming
    if any("cannot be reproduced exactly" in note for note in unmapped):
        return  # reported by name (a drop the workbench can only make last); checked below
    for item in data:
        expected = folder_names(raw, item)
        if not expected:
            with pytest.raises(TemplateError):
                resolve_path(template, item)
            continue
        assert str(resolve_path(template, item).relative) == "/".join(expected), (levels, item)


def test_a_level_it_cannot_reproduce_exactly_is_reported_with_the_combination() -> None:
    """The app drops the level only when business and location are filled and the start is
    empty; a workbench level can drop only as its last resort, so this one is reported."""
    level = {"pattern": "{video_start_datetime}", "fallback": "",
             "conditionals": {"business_only": " @ "}}
    incoming, _ = DesktopReader(Path("t.json")).read(
        {"templates": {"t": {"structure": {"levels": [level]}}}})
    assert "levels.0.pattern: cannot be reproduced exactly when business, location filled; "\
        "video_start empty" in incoming[0].unmapped

"""Template commands: the configured folder (seeded on first use), events, typed errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench import events
from workbench.errors import NotFound, TemplateError
from workbench.preferences import Preferences, save_preferences
from workbench.templates import (
    Template,
    TemplateLevel,
    delete_template,
    get_template,
    list_templates,
    save_template,
    scan_templates,
)

TEMPLATE = Template(id="mine", name="Mine", levels=[TemplateLevel(pattern="{occurrence}")])


@pytest.fixture
def received() -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def recorder(name: str) -> Callable[[Any], None]:
        return lambda payload: seen.append((name, payload))

    unsubscribe = [
        events.subscribe(name, recorder(name))
        for name in (events.TEMPLATE_SAVED, events.TEMPLATE_DELETED)
    ]
    yield seen
    for stop in unsubscribe:
        stop()


def test_fresh_home_has_the_bundled_templates(workbench_home: Path) -> None:
    ids = [t.id for t in list_templates()]
    assert {"default", "agency-military", "flat", "by-date"} <= set(ids)
    assert (workbench_home / "templates" / "default.json").is_file()
    assert get_template("default").levels[0].pattern == "{occurrence}"


def test_save_get_delete_in_the_configured_folder(
    workbench_home: Path, received: list[tuple[str, Any]]
) -> None:
    path = save_template(TEMPLATE)
    assert path == workbench_home / "templates" / "mine.json"
    assert get_template("mine") == TEMPLATE
    delete_template("mine")
    assert "mine" not in [t.id for t in list_templates()]
    assert received == [(events.TEMPLATE_SAVED, TEMPLATE), (events.TEMPLATE_DELETED, "mine")]


def test_preferences_choose_the_folder(tmp_path: Path) -> None:
    save_preferences(Preferences(templates_dir=tmp_path / "team"))
    save_template(TEMPLATE)
    assert (tmp_path / "team" / "mine.json").is_file()
    assert (tmp_path / "team" / "default.json").is_file()  # seeded when first created


def test_explicit_folder(tmp_path: Path) -> None:
    save_template(TEMPLATE, tmp_path)
    assert [t.id for t in list_templates(str(tmp_path))] == ["mine"]
    assert get_template("mine", tmp_path) == TEMPLATE


def test_unknown_template_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        get_template("nope", tmp_path)
    assert info.value.payload == NotFound(kind="template", id="nope", path=str(tmp_path))
    assert str(info.value) == f"No template named 'nope' in {tmp_path}."


def test_invalid_template_is_not_saved(tmp_path: Path, received: list[tuple[str, Any]]) -> None:
    bad = Template(id="bad", name="Bad", levels=[TemplateLevel(pattern="{colour}")])
    with pytest.raises(TemplateError) as info:
        save_template(bad, tmp_path)
    assert info.value.type == "ValidationError"
    assert list(tmp_path.iterdir()) == [] and received == []


def test_damaged_file_does_not_hide_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    save_template(TEMPLATE, tmp_path)
    (tmp_path / "zz.json").write_text("[", encoding="utf-8")
    scan = scan_templates(tmp_path)
    assert [t.id for t in scan.templates] == ["mine"] and len(scan.problems) == 1
    assert [t.id for t in list_templates(tmp_path)] == ["mine"]
    assert "zz.json" in caplog.text
    with pytest.raises(TemplateError) as info:
        get_template("zz", tmp_path)
    assert info.value.type == "CorruptFile" and "zz.json" in str(info.value)

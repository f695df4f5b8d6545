"""Preferences commands: load/save under `WORKBENCH_HOME`, the saved event, the templates folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench import events
from workbench.errors import PreferencesError
from workbench.preferences import (
    Preferences,
    load_preferences,
    preferences_path,
    save_preferences,
    templates_dir,
)


def test_defaults_then_saved_values(workbench_home: Path) -> None:
    assert load_preferences() == Preferences()
    seen: list[Any] = []
    unsubscribe = events.subscribe(events.PREFERENCES_SAVED, seen.append)
    prefs = Preferences(technician="J. Doe", workers=2)
    try:
        assert save_preferences(prefs) == workbench_home / "preferences.json"
    finally:
        unsubscribe()
    assert preferences_path() == workbench_home / "preferences.json"
    assert load_preferences() == prefs and seen == [prefs]


def test_templates_dir_default_and_configured(workbench_home: Path, tmp_path: Path) -> None:
    assert templates_dir() == workbench_home / "templates"
    assert templates_dir(Preferences(templates_dir=tmp_path)) == tmp_path
    assert templates_dir(Preferences(templates_dir=Path("team"))) == workbench_home / "team"
    save_preferences(Preferences(templates_dir=tmp_path / "team"))
    assert templates_dir() == tmp_path / "team"


def test_corrupt_preferences_raise_and_keep_a_backup(workbench_home: Path) -> None:
    (workbench_home / "preferences.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(PreferencesError) as info:
        load_preferences()
    assert info.value.type == "CorruptFile"
    assert len(list(workbench_home.glob("preferences.json.corrupt-*"))) == 1

"""Preferences commands: load, save (announcing it) and the folders they configure."""

from __future__ import annotations

from pathlib import Path

from workbench import events
from workbench.paths import expand_user
from workbench.preferences.storage import (
    TEMPLATES_FOLDER,
    preferences_path,
    read_preferences,
    workbench_home,
    write_preferences,
)
from workbench.preferences.types import Preferences


def load_preferences() -> Preferences:
    """The saved preferences, or the defaults when none were saved yet."""
    return read_preferences(preferences_path())


def save_preferences(prefs: Preferences) -> Path:
    """Store `prefs` atomically and emit `PREFERENCES_SAVED`; returns the file."""
    path = preferences_path()
    write_preferences(path, prefs)
    events.emit(events.PREFERENCES_SAVED, prefs)
    return path


def templates_dir(prefs: Preferences | None = None) -> Path:
    """The configured templates folder: `<workbench home>/templates` unless set.

    A relative `templates_dir` is taken relative to the workbench home.
    """
    prefs = load_preferences() if prefs is None else prefs
    if prefs.templates_dir is not None:
        return workbench_home() / expand_user(prefs.templates_dir)
    return workbench_home() / TEMPLATES_FOLDER

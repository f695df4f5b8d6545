"""Preferences: per-user settings and the workbench home folder."""

from workbench.preferences.commands import load_preferences, save_preferences, templates_dir
from workbench.preferences.storage import HOME_VARIABLE, preferences_path, workbench_home
from workbench.preferences.types import Preferences

__all__ = [
    "HOME_VARIABLE",
    "Preferences",
    "load_preferences",
    "preferences_path",
    "save_preferences",
    "templates_dir",
    "workbench_home",
]

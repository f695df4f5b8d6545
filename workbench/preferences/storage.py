"""Where the workbench keeps its files, and the preferences file itself.

A damaged preferences file is never silently replaced by defaults: a copy of it is kept
beside it (`preferences.json.corrupt-<UTC stamp>`, once per distinct content, however often
it is read) and a typed `CorruptFile` error says where.
"""

from __future__ import annotations

import glob
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import platformdirs

from workbench.atomic import pretty_json, write_atomic
from workbench.errors import CorruptFile, PreferencesError, payload_from_os_error
from workbench.paths import expand_user
from workbench.preferences.types import Preferences

HOME_VARIABLE = "WORKBENCH_HOME"
"""Environment variable that replaces the per-user folder (tests and CI use it)."""
APP_NAME = "case-workbench"
"""Name of the per-user configuration folder."""
PREFERENCES_FILE = "preferences.json"
"""File name of the preferences inside the workbench home."""
TEMPLATES_FOLDER = "templates"
"""Default templates folder inside the workbench home."""


def workbench_home() -> Path:
    """`$WORKBENCH_HOME` if set, else the per-user configuration folder."""
    override = os.environ.get(HOME_VARIABLE, "").strip()
    if override:
        return expand_user(override)
    return platformdirs.user_config_path(APP_NAME)


def preferences_path() -> Path:
    """The preferences file of the current workbench home."""
    return workbench_home() / PREFERENCES_FILE


def preferences_bytes(prefs: Preferences) -> bytes:
    """The file form of `prefs`: pretty JSON with sorted keys and a trailing newline."""
    return pretty_json(prefs.model_dump(mode="json")).encode()


def write_preferences(path: Path, prefs: Preferences) -> None:
    """Replace the preferences file at `path` atomically."""
    try:
        write_atomic(path, preferences_bytes(prefs))
    except OSError as exc:
        raise PreferencesError(payload_from_os_error(exc, str(path), "write")) from exc


def read_preferences(path: Path) -> Preferences:
    """The preferences stored at `path`; defaults when there is no file.

    A file that is not valid preferences is copied aside and reported as `CorruptFile`.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Preferences()
    except OSError as exc:
        raise PreferencesError(payload_from_os_error(exc, str(path), "read")) from exc
    try:
        return Preferences.model_validate(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = f"not valid UTF-8 JSON ({exc})"
    except PreferencesError as exc:
        detail = f"not valid preferences ({exc})"
    backup = _keep_copy(path, data)
    raise PreferencesError(CorruptFile(path=str(path), detail=detail, backup=backup))


def _keep_copy(path: Path, data: bytes) -> str | None:
    """A dated `.corrupt-` copy of `data` beside `path` (reusing an identical one); its path.

    None if no copy could be written: the error is still raised, only without a backup.
    """
    try:
        for earlier in sorted(path.parent.glob(f"{glob.escape(path.name)}.corrupt-*")):
            if earlier.read_bytes() == data:
                return str(earlier)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        backup = path.with_name(f"{path.name}.corrupt-{stamp}")
        write_atomic(backup, data)
    except OSError:
        return None
    return str(backup)

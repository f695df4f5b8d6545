"""Template exchange commands: export templates to a file, import them from one. Thin."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from workbench.paths import expand_user
from workbench.templates.commands import templates_folder
from workbench.templates.exchange import bundle
from workbench.templates.exchange.types import OnConflict, TemplateImport

__all__ = ["export_templates", "import_templates"]


def export_templates(
    ids: Sequence[str], path: str | os.PathLike[str], directory: str | Path | None = None,
    *, overwrite: bool = False,
) -> Path:
    """Write the templates `ids` into one JSON file at `path` for another workbench to import;
    an existing file is a `Conflict` unless `overwrite`."""
    if isinstance(ids, str):
        ids = [ids]
    return bundle.export_templates(list(ids), expand_user(path),
                                   templates_folder(directory), overwrite=overwrite)


def import_templates(
    path: str | os.PathLike[str], on_conflict: OnConflict = "skip",
    directory: str | Path | None = None,
) -> TemplateImport:
    """Import every template of a file: this workbench's export (or one template file), or
    the desktop app's `folder_templates.json`. All or nothing: a malformed file is a typed
    error and nothing is stored. A taken id is skipped, renamed or replaced (`on_conflict`);
    the report lists what happened to each template and what could not be carried over."""
    return bundle.import_templates(expand_user(path), templates_folder(directory),
                                   on_conflict)

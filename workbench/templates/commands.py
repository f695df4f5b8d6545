"""Template commands: list, get, save and delete templates; resolve and validate them.

`directory=None` means the configured templates folder, seeded with the bundled templates
the first time it is created.
"""

from __future__ import annotations

import logging
from pathlib import Path

from workbench import events
from workbench.errors import NotFound, TemplateError
from workbench.paths import expand_user
from workbench.preferences.commands import templates_dir
from workbench.templates.resolver import resolve_archive_name, resolve_path
from workbench.templates.storage import (
    delete_template_file,
    ensure_seeded,
    read_template,
    scan_directory,
    template_path,
    write_template,
)
from workbench.templates.types import Template, TemplateScan
from workbench.templates.validator import template_problems, validate_template

__all__ = [
    "delete_template",
    "get_template",
    "list_templates",
    "resolve_archive_name",
    "resolve_path",
    "save_template",
    "scan_templates",
    "template_problems",
    "templates_folder",
    "validate_template",
]

log = logging.getLogger(__name__)


def templates_folder(directory: str | Path | None = None) -> Path:
    """`directory`, or the configured templates folder (seeded on first use) when None."""
    if directory is None:
        return ensure_seeded(templates_dir())
    return expand_user(directory)


def scan_templates(directory: str | Path | None = None) -> TemplateScan:
    """The healthy templates of the folder and a typed problem per file that is not."""
    return scan_directory(templates_folder(directory))


def list_templates(directory: str | Path | None = None) -> list[Template]:
    """The healthy templates of the folder, sorted by id (damaged files are logged)."""
    scan = scan_templates(directory)
    for problem in scan.problems:
        log.warning("template skipped: %s", problem.describe())
    return scan.templates


def get_template(template_id: str, directory: str | Path | None = None) -> Template:
    """The template `template_id`; `NotFound` naming the folder if there is none."""
    folder = templates_folder(directory)
    path = template_path(folder, template_id)
    if not path.is_file():
        raise TemplateError(NotFound(kind="template", id=template_id, path=str(folder)))
    return read_template(path)


def save_template(template: Template, directory: str | Path | None = None) -> Path:
    """Validate and store `template` (replacing one with its id); emits `TEMPLATE_SAVED`."""
    validate_template(template)
    path = write_template(templates_folder(directory), template)
    events.emit(events.TEMPLATE_SAVED, template)
    return path


def delete_template(template_id: str, directory: str | Path | None = None) -> None:
    """Remove the template `template_id`; emits `TEMPLATE_DELETED` with the id."""
    delete_template_file(templates_folder(directory), template_id)
    events.emit(events.TEMPLATE_DELETED, template_id)


"""Template files: one `<id>.json` per template in a folder, and the bundled set.

Files are written atomically (pretty, sorted keys, trailing newline). A scan returns every
healthy template and one typed problem per file that cannot be used, so a damaged file never
hides the others. The configured folder is seeded with the bundled templates when it is
first created: the seed is built beside it and renamed into place, so the folder appears
complete or not at all.
"""

from __future__ import annotations

import errno
import json
import shutil
import uuid
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.atomic import fsync_dir, pretty_json, write_atomic
from workbench.errors import (
    CorruptFile,
    ErrorPayload,
    NotFound,
    TemplateError,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.templates.types import Template, TemplateScan
from workbench.templates.validator import is_template_id, template_problems

if TYPE_CHECKING:
    from importlib.abc import Traversable

SUFFIX = ".json"
"""File name suffix of a template file."""
_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def bundled_templates_dir() -> Traversable:
    """The templates shipped with the package (`bundled_templates/` in a wheel, else the repo's)."""
    packaged = files("workbench") / "bundled_templates"
    return packaged if packaged.is_dir() else _REPO_TEMPLATES


def template_path(directory: Path, template_id: str) -> Path:
    """Where the template `template_id` lives in `directory` (NotFound for a non-slug id)."""
    if not is_template_id(template_id):
        raise TemplateError(NotFound(kind="template", id=template_id, path=str(directory)))
    return directory / f"{template_id}{SUFFIX}"


def template_bytes(template: Template) -> bytes:
    """The file form of `template`: pretty JSON with sorted keys and a trailing newline."""
    return pretty_json(template.model_dump(mode="json")).encode()


def write_template(directory: Path, template: Template) -> Path:
    """Write `template` atomically as `<id>.json` in `directory`; returns the file."""
    path = template_path(directory, template.id)
    try:
        write_atomic(path, template_bytes(template))
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(path), "write")) from exc
    return path


def parse_template(path: Path, data: bytes) -> Template:
    """The valid template held in `data`, read from `path`; `CorruptFile` otherwise."""
    def corrupt(detail: str) -> TemplateError:
        return TemplateError(CorruptFile(path=str(path), detail=detail))

    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise corrupt(f"not valid UTF-8 JSON ({exc})") from None
    try:
        template = Template.model_validate(document)
    except TemplateError as exc:
        raise corrupt(f"not a template ({exc})") from None
    if problems := template_problems(template):
        first = problems[0]
        raise corrupt(f"invalid template: {first.field} {first.message}")
    if path.name != f"{template.id}{SUFFIX}":
        raise corrupt(f"its id {template.id!r} does not match the file name")
    return template


def read_template(path: Path) -> Template:
    """The template stored at `path` (typed errors for a missing, unreadable or bad file)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(path), "read")) from exc
    return parse_template(path, data)


def delete_template_file(directory: Path, template_id: str) -> Path:
    """Remove the template `template_id` from `directory`; returns the removed file."""
    path = template_path(directory, template_id)
    try:
        path.unlink()
    except FileNotFoundError:
        raise TemplateError(
            NotFound(kind="template", id=template_id, path=str(directory))
        ) from None
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(path), "delete")) from exc
    return path


def scan_directory(directory: Path) -> TemplateScan:
    """Every healthy template in `directory` (sorted by id) and a problem per bad file."""
    try:
        paths = sorted(p for p in directory.iterdir() if _is_template_file(p.name))
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(directory), "list")) from exc
    templates: list[Template] = []
    problems: list[ErrorPayload] = []
    for path in paths:
        try:
            templates.append(read_template(path))
        except WorkbenchError as exc:
            problems.append(exc.payload)
    return TemplateScan(directory=directory, templates=templates, problems=problems)


def _is_template_file(name: str) -> bool:
    return name.endswith(SUFFIX) and not name.startswith(".")


def ensure_seeded(directory: Path) -> Path:
    """Create `directory` holding the bundled templates unless it exists; returns it."""
    if directory.exists():
        return directory
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = directory.with_name(f".{directory.name}.seed-{uuid.uuid4().hex}")
        staging.mkdir()
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(directory), "create")) from exc
    try:
        for source in bundled_templates_dir().iterdir():
            if _is_template_file(source.name):
                write_atomic(staging / source.name, source.read_bytes())
        staging.rename(directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) and directory.is_dir():
            return directory  # another process seeded it first
        raise TemplateError(payload_from_os_error(exc, str(directory), "create")) from exc
    fsync_dir(directory.parent)
    return directory

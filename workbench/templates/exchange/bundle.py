"""Template exchange: export templates to one JSON file, import them from one.

The export file is `{"format": "case-workbench-templates", "version": 1, "templates": [...]}`
with each template exactly as it is stored. An import reads that, a single template file,
or the desktop app's `folder_templates.json` (`desktop_format`). Importing is
all-or-nothing: the whole file is parsed and every template validated first, then each is
written to a temp file beside its target, and only when all of them are written are they
moved into place (a failure there puts back what was moved). A template whose id is taken
is skipped, renamed (`id-2`, `id-3`, ...) or replaces the old one, as asked.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import events
from workbench.atomic import fsync_dir, pretty_json, write_temp
from workbench.errors import (
    Conflict,
    CorruptFile,
    FieldProblem,
    NotFound,
    TemplateError,
    ValidationError,
    WorkbenchError,
    payload_from_os_error,
)
from workbench.hashing.publish import publish_no_clobber
from workbench.templates.exchange.desktop_format import DesktopReader, Incoming, is_desktop_document
from workbench.templates.exchange.types import (
    ExchangeFormat,
    ImportAction,
    ImportedTemplate,
    OnConflict,
    TemplateImport,
)
from workbench.templates.storage import read_template, template_bytes, template_path
from workbench.templates.types import Template
from workbench.templates.validator import TEMPLATE_ID, template_problems

FORMAT = "case-workbench-templates"
"""The `format` tag of an export file."""
VERSION = 1
"""The version of the export file format."""
MAX_FILE_BYTES = 8 << 20
"""Larger files are refused unread (a template file is a few kilobytes)."""
ON_CONFLICT: tuple[OnConflict, ...] = ("skip", "rename", "replace")
"""The choices of `on_conflict`."""


def export_templates(
    ids: Sequence[str], path: Path, directory: Path, *, overwrite: bool = False
) -> Path:
    """Write the templates `ids` of `directory` into one export file at `path`."""
    if not ids:
        raise TemplateError(ValidationError.of([FieldProblem(
            field="ids", message="name at least one template to export")]))
    templates = []
    for template_id in dict.fromkeys(ids):
        source = template_path(directory, template_id)
        if not source.is_file():
            raise TemplateError(NotFound(kind="template", id=template_id, path=str(directory)))
        templates.append(read_template(source))
    document = {"format": FORMAT, "version": VERSION,
                "templates": [template.model_dump(mode="json") for template in templates]}
    _write_new(path, pretty_json(document).encode(), overwrite=overwrite)
    return path


def _write_new(path: Path, data: bytes, *, overwrite: bool) -> None:
    try:
        tmp = write_temp(path, data, 0o644)
        try:
            if overwrite:
                tmp.replace(path)
            else:
                publish_no_clobber(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)
    except FileExistsError:
        raise TemplateError(Conflict(
            path=str(path), detail="a file of that name is there; choose another name"
        )) from None
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(path), "write")) from exc


def read_exchange_file(path: Path) -> tuple[ExchangeFormat, list[Incoming], list[str]]:
    """Every template of a template file, validated, and what of the file was not used."""
    document = _document(path)
    exchange: ExchangeFormat = "workbench"
    unmapped: list[str] = []
    if isinstance(document, dict) and document.get("format") == FORMAT:
        incoming = _own_bundle(path, document)
    elif is_desktop_document(document):
        incoming, unmapped = DesktopReader(path).read(document)
        exchange = "desktop-app"
    elif isinstance(document, dict) and "levels" in document:
        incoming = [_own_template(path, "", document)]
    else:
        raise _corrupt(path, "not a template file (no `templates` and no `levels`)")
    for item in incoming:
        if problems := template_problems(item.template):
            first = problems[0]
            raise _corrupt(path, f"template {item.source_id!r}: {first.field} {first.message}")
    return exchange, incoming, unmapped


def _document(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise TemplateError(payload_from_os_error(exc, str(path), "read")) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _corrupt(path, f"larger than {MAX_FILE_BYTES >> 20} MiB; not a template file")
    try:
        return json.loads(data.decode("utf-8-sig"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _corrupt(path, f"not valid UTF-8 JSON ({exc})") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = sorted({key for key in keys if keys.count(key) > 1})
        raise ValueError(f"the key {twice[0]!r} appears twice in one object")
    return dict(pairs)


def _own_bundle(path: Path, document: dict[str, Any]) -> list[Incoming]:
    if document.get("version") != VERSION:
        raise _corrupt(path, f"version {document.get('version')!r} is not {VERSION}")
    raw = document.get("templates")
    if not isinstance(raw, list):
        raise _corrupt(path, "templates: must be a list")
    incoming = [_own_template(path, f"templates.{i}: ", item) for i, item in enumerate(raw)]
    ids = [item.template.id for item in incoming]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise _corrupt(path, f"the template id {twice[0]!r} appears twice")
    return incoming


def _own_template(path: Path, where: str, raw: object) -> Incoming:
    try:
        template = Template.model_validate(raw)
    except WorkbenchError as exc:
        raise _corrupt(path, f"{where}not a template ({exc})") from None
    return Incoming(template, template.id, [])


def _corrupt(path: Path, detail: str) -> TemplateError:
    return TemplateError(CorruptFile(path=str(path), detail=detail))


@dataclass
class _Planned:
    incoming: Incoming
    action: ImportAction
    template: Template
    final: Path | None
    old: bytes | None = None
    """The replaced template file's bytes, to put back if the import fails."""


def import_templates(path: Path, directory: Path, on_conflict: OnConflict) -> TemplateImport:
    """Store every template of the file at `path` in `directory` (all or none)."""
    if on_conflict not in ON_CONFLICT:
        raise TemplateError(ValidationError.of([FieldProblem(
            field="on_conflict", message=f"must be one of {', '.join(ON_CONFLICT)}")],
            actual=str(on_conflict)))
    exchange, incoming, unmapped = read_exchange_file(path)
    planned = _plan(incoming, directory, on_conflict)
    _store([item for item in planned if item.final is not None], directory)
    for item in planned:
        if item.final is not None:
            events.emit(events.TEMPLATE_SAVED, item.template)
    return TemplateImport(
        source=path, format=exchange, directory=directory, unmapped=unmapped,
        templates=[
            ImportedTemplate(
                id=item.template.id, source_id=item.incoming.source_id,
                name=item.template.name, action=item.action, path=item.final,
                levels=len(item.template.levels), unmapped=item.incoming.unmapped,
            )
            for item in planned
        ],
    )


def _plan(incoming: list[Incoming], directory: Path, on_conflict: OnConflict) -> list[_Planned]:
    taken = {item.stem for item in directory.glob("*.json")} if directory.is_dir() else set()
    planned = []
    claimed: set[str] = set()
    for item in incoming:
        template = item.template
        exists, again = template.id in taken, template.id in claimed
        action: ImportAction = "imported"
        if again or (exists and on_conflict == "rename"):
            template = template.model_copy(update={"id": _free_id(template.id, taken | claimed)})
            action = "renamed"
        elif exists and on_conflict == "skip":
            planned.append(_Planned(item, "skipped", template, None))
            continue
        elif exists:
            action = "replaced"
        claimed.add(template.id)
        final = template_path(directory, template.id)
        planned.append(_Planned(item, action, template, final))
    return planned


def _free_id(wanted: str, taken: set[str]) -> str:
    for number in range(2, 10_000):
        suffix = f"-{number}"
        candidate = wanted[: 64 - len(suffix)] + suffix
        if candidate not in taken and TEMPLATE_ID.fullmatch(candidate):
            return candidate
    raise AssertionError("ten thousand templates of one id")


def _store(planned: list[_Planned], directory: Path) -> None:
    """Write every template beside its target, then move them all into place (or none)."""
    staged: list[tuple[_Planned, Path]] = []
    placed: list[_Planned] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for item in planned:
            assert item.final is not None
            if item.action == "replaced":
                item.old = item.final.read_bytes()
            staged.append((item, write_temp(item.final, template_bytes(item.template), 0o644)))
        for item, tmp in staged:
            assert item.final is not None
            if item.action == "replaced":
                tmp.replace(item.final)
            else:
                publish_no_clobber(tmp, item.final)
            placed.append(item)
        fsync_dir(directory)
    except OSError as exc:
        _put_back(placed)
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        where = str(exc.filename or directory)
        if isinstance(exc, FileExistsError):
            raise TemplateError(Conflict(path=where, detail="a template of that id appeared "
                                         "while importing; nothing was imported")) from None
        raise TemplateError(payload_from_os_error(exc, where, "write")) from exc


def _put_back(placed: list[_Planned]) -> None:
    for item in reversed(placed):
        assert item.final is not None
        with contextlib.suppress(OSError):
            if item.old is None:
                item.final.unlink()
            else:
                tmp = write_temp(item.final, item.old, 0o644)
                tmp.replace(item.final)

"""Folder templates: each level becomes one folder name resolved from the case data."""

from workbench.templates.commands import (
    delete_template,
    get_template,
    list_templates,
    resolve_archive_name,
    resolve_path,
    save_template,
    scan_templates,
    template_problems,
    templates_folder,
    validate_template,
)
from workbench.templates.names import safe_name
from workbench.templates.types import (
    DEFAULT_ARCHIVE_NAME,
    MAX_LEVELS,
    ResolvedLevel,
    ResolvedPath,
    Template,
    TemplateLevel,
    TemplateScan,
)

__all__ = [
    "DEFAULT_ARCHIVE_NAME",
    "MAX_LEVELS",
    "ResolvedLevel",
    "ResolvedPath",
    "Template",
    "TemplateLevel",
    "TemplateScan",
    "delete_template",
    "get_template",
    "list_templates",
    "resolve_archive_name",
    "resolve_path",
    "safe_name",
    "save_template",
    "scan_templates",
    "template_problems",
    "templates_folder",
    "validate_template",
]

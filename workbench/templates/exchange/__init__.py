"""Template exchange: templates to and from one JSON file, this workbench's own or the
desktop app's `folder_templates.json`."""

from workbench.templates.exchange.bundle import ON_CONFLICT
from workbench.templates.exchange.commands import export_templates, import_templates
from workbench.templates.exchange.types import (
    ImportAction,
    ImportedTemplate,
    OnConflict,
    TemplateImport,
)

__all__ = [
    "ON_CONFLICT",
    "ImportAction",
    "ImportedTemplate",
    "OnConflict",
    "TemplateImport",
    "export_templates",
    "import_templates",
]

"""The notebook UI: ipywidgets over the public API, no business logic here."""

from workbench.ui.app import Workbench
from workbench.ui.batch import BatchPanel, FleetPanel
from workbench.ui.controls import FolderBrowser, printable
from workbench.ui.intake import CaseForm, CopyPanel, ExportPanel, TemplateEditor, TreePreview
from workbench.ui.review import AuditPanel, FootagePanel

__all__ = [
    "AuditPanel", "BatchPanel", "CaseForm", "CopyPanel", "ExportPanel", "FleetPanel",
    "FolderBrowser", "FootagePanel", "TemplateEditor", "TreePreview", "Workbench", "printable",
]

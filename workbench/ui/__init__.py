"""The notebook UI: ipywidgets over the public API, no business logic here."""

from workbench.ui.app import Workbench
from workbench.ui.audit_panel import AuditPanel
from workbench.ui.case_form import CaseForm
from workbench.ui.controls import FolderBrowser, printable
from workbench.ui.copy_panel import CopyPanel
from workbench.ui.export_panel import ExportPanel
from workbench.ui.template_editor import TemplateEditor
from workbench.ui.tree_preview import TreePreview

__all__ = [
    "AuditPanel", "CaseForm", "CopyPanel", "ExportPanel", "FolderBrowser", "TemplateEditor",
    "TreePreview", "Workbench", "printable",
]

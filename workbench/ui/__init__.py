"""The notebook UI: ipywidgets over the public API, no business logic here."""

from workbench.ui.app import Workbench
from workbench.ui.case_form import CaseForm
from workbench.ui.copy_panel import CopyPanel
from workbench.ui.footage_panel import FootagePanel
from workbench.ui.printable import printable
from workbench.ui.template_editor import TemplateEditor
from workbench.ui.tree_preview import TreePreview

__all__ = [
    "CaseForm", "CopyPanel", "FootagePanel", "TemplateEditor", "TreePreview", "Workbench",
    "printable",
]

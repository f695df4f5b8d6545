"""The notebook UI: ipywidgets over the public API, no business logic here."""

from workbench.ui.app import Workbench
from workbench.ui.batch_panel import BatchPanel
from workbench.ui.case_form import CaseForm
from workbench.ui.copy_panel import CopyPanel
from workbench.ui.fleet_panel import FleetPanel
from workbench.ui.printable import printable
from workbench.ui.template_editor import TemplateEditor
from workbench.ui.tree_preview import TreePreview

__all__ = [
    "BatchPanel", "CaseForm", "CopyPanel", "FleetPanel", "TemplateEditor", "TreePreview",
    "Workbench", "printable",
]

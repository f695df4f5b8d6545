"""The intake panels, in the order of the analyst's day: case, template, preview, copy, export."""

from workbench.ui.intake.case_form import CaseForm
from workbench.ui.intake.copy_panel import CopyPanel
from workbench.ui.intake.export_panel import ExportPanel
from workbench.ui.intake.template_editor import TemplateEditor
from workbench.ui.intake.tree_preview import TreePreview

__all__ = ["CaseForm", "CopyPanel", "ExportPanel", "TemplateEditor", "TreePreview"]

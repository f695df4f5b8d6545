"""The review panels: what the footage holds, and whether a folder still matches its record."""

from workbench.ui.review.audit_panel import AuditPanel
from workbench.ui.review.footage_panel import FootagePanel

__all__ = ["AuditPanel", "FootagePanel"]

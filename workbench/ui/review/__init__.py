"""The review panels: what the footage holds, and whether a folder still matches its record."""

from workbench.ui.review.audit_panel import AuditPanel

__all__ = ["AuditPanel"]

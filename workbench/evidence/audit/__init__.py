"""The audit: a folder re-hashed from disk against the record it carries (its own manifest or
another tool's), its files kept in columns; the audit of a case folder recorded in it."""

from workbench.evidence.audit.commands import verify_case
from workbench.evidence.audit.verify import audit_rows

__all__ = ["audit_rows", "verify_case"]

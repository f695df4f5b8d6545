"""Delivery packages of a case folder: a verified ZIP for disclosure, a BagIt bag for an
archive."""

from workbench.exports.commands import export_case
from workbench.exports.types import (
    EXPORT_FORMATS,
    ExportFormat,
    ExportMember,
    ExportReport,
    MemberKind,
)

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "ExportMember",
    "ExportReport",
    "MemberKind",
    "export_case",
]

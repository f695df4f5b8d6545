"""Case Workbench: verified evidence intake for CCTV/video exports.

The public API (re-exports only)::

    import workbench as wb
    case = wb.CaseData(occurrence="2026-004512", business="Corner Store")
    plan = wb.plan_copy(["/media/usb/export"], case, wb.get_template("default"), "/cases")
    report = wb.run_copy(plan)
    audit = wb.verify_case(plan.destination)
    media = wb.probe_media(plan.destination)          # the footage: cameras, times, problems
    wb.coverage(media).figure()                       # the requested window, gaps, damage
    wb.make_playable(plan.destination)                # playable copies, proven lossless

`wb.ui` (the ipywidgets app) is imported on first use, so headless use stays light.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from workbench.batch import (
    BatchCheck,
    BatchProgress,
    BatchReport,
    BatchRow,
    FleetAudit,
    FleetProgress,
    FleetReport,
    FleetRow,
    audit_cases,
    check_batch,
    fleet_html,
    run_batch,
    submit_audit,
    write_fleet_report,
)
from workbench.cases import CaseData
from workbench.conversion import (
    PlayableReport,
    PlayableRow,
    TimelineSegment,
    TimelineVideo,
    make_playable,
    render_timeline,
)
from workbench.errors import (
    BatchError,
    CaseError,
    ConversionError,
    ErrorPayload,
    EvidenceError,
    ExportError,
    HashingError,
    MediaError,
    PreferencesError,
    ProcessingError,
    RecordError,
    ReportError,
    TemplateError,
    WorkbenchError,
    is_kind,
)
from workbench.events import CancelToken, emit, subscribe
from workbench.evidence import (
    CopyRow,
    ProgressEvent,
    SourceVolume,
    VerifyReport,
    VerifyRow,
    Volume,
    compare_folders,
    list_volumes,
    source_volume,
    verify_case,
)
from workbench.exports import ExportMember, ExportReport, export_case
from workbench.foreign import RecordRef
from workbench.hashing import FolderComparison
from workbench.media import (
    ContactSheet,
    Coverage,
    MediaFile,
    MediaReport,
    coverage,
    dvr_offset_from,
    frame_timing,
    match_name,
    probe_media,
    stored_media,
)
from workbench.preferences import Preferences, load_preferences, save_preferences, workbench_home
from workbench.processing import CopyPlan, CopyReport, PlannedFile, plan_copy, run_copy
from workbench.reports import report_html, write_case_report
from workbench.samples import make_sample_evidence
from workbench.templates import (
    ResolvedPath,
    Template,
    TemplateLevel,
    TemplateScan,
    delete_template,
    get_template,
    list_templates,
    resolve_archive_name,
    resolve_path,
    save_template,
    scan_templates,
    template_problems,
    validate_template,
)
from workbench.templates.exchange import (
    ImportedTemplate,
    TemplateImport,
    export_templates,
    import_templates,
)
from workbench.version import __version__

if TYPE_CHECKING:
    from workbench import ui

__all__ = [
    "BatchCheck",
    "BatchError",
    "BatchProgress",
    "BatchReport",
    "BatchRow",
    "CancelToken",
    "CaseData",
    "CaseError",
    "ContactSheet",
    "ConversionError",
    "CopyPlan",
    "CopyReport",
    "CopyRow",
    "Coverage",
    "ErrorPayload",
    "EvidenceError",
    "ExportError",
    "ExportMember",
    "ExportReport",
    "FleetAudit",
    "FleetProgress",
    "FleetReport",
    "FleetRow",
    "FolderComparison",
    "HashingError",
    "ImportedTemplate",
    "MediaError",
    "MediaFile",
    "MediaReport",
    "PlannedFile",
    "PlayableReport",
    "PlayableRow",
    "Preferences",
    "PreferencesError",
    "ProcessingError",
    "ProgressEvent",
    "RecordError",
    "RecordRef",
    "ReportError",
    "ResolvedPath",
    "SourceVolume",
    "Template",
    "TemplateError",
    "TemplateImport",
    "TemplateLevel",
    "TemplateScan",
    "TimelineSegment",
    "TimelineVideo",
    "VerifyReport",
    "VerifyRow",
    "Volume",
    "WorkbenchError",
    "__version__",
    "audit_cases",
    "check_batch",
    "compare_folders",
    "coverage",
    "delete_template",
    "dvr_offset_from",
    "emit",
    "export_case",
    "export_templates",
    "fleet_html",
    "frame_timing",
    "get_template",
    "import_templates",
    "is_kind",
    "list_templates",
    "list_volumes",
    "load_preferences",
    "make_playable",
    "make_sample_evidence",
    "match_name",
    "plan_copy",
    "probe_media",
    "render_timeline",
    "report_html",
    "resolve_archive_name",
    "resolve_path",
    "run_batch",
    "run_copy",
    "save_preferences",
    "save_template",
    "scan_templates",
    "source_volume",
    "stored_media",
    "submit_audit",
    "subscribe",
    "template_problems",
    "ui",
    "validate_template",
    "verify_case",
    "workbench_home",
    "write_case_report",
    "write_fleet_report",
]


def __getattr__(name: str) -> ModuleType:
    """Import `workbench.ui` (ipywidgets) only when it is first used."""
    if name == "ui":
        import importlib

        return importlib.import_module("workbench.ui")
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")

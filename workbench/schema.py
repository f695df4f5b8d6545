"""JSON Schema of every public model and of the error union (`workbench schema`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from workbench.atomic import pretty_json, write_atomic
from workbench.batch import BatchCheck, BatchProgress, BatchReport, FleetProgress, FleetReport
from workbench.cases import CaseData
from workbench.conversion import PlayableReport, TimelineVideo
from workbench.errors import error_payload_adapter
from workbench.evidence.custody import custody_adapter
from workbench.evidence.mhl_format.model import MhlEntry
from workbench.evidence.progress import ProgressEvent
from workbench.evidence.types import VerifyReport
from workbench.evidence.volumes import SourceVolume
from workbench.exports.types import ExportReport
from workbench.hashing.compare import FolderComparison
from workbench.hashing.platform.volumes import Volume
from workbench.media import Coverage, FrameTiming, MediaReport, PatternLibrary
from workbench.preferences.types import Preferences
from workbench.processing.types import CopyPlan, CopyReport
from workbench.templates.exchange.types import TemplateImport
from workbench.templates.types import ResolvedPath, Template

PUBLIC_MODELS: tuple[type[BaseModel], ...] = (
    CaseData,
    Template,
    ResolvedPath,
    Preferences,
    CopyPlan,
    ProgressEvent,
    CopyReport,
    VerifyReport,
    MhlEntry,
    Volume,
    SourceVolume,
    FolderComparison,
    ExportReport,
    TemplateImport,
    BatchCheck,
    BatchProgress,
    BatchReport,
    FleetProgress,
    FleetReport,
    MediaReport,
    Coverage,
    PatternLibrary,
    FrameTiming,
    PlayableReport,
    TimelineVideo,
)
"""Models that cross the boundary; nested models appear in their `$defs`."""
UNIONS: dict[str, TypeAdapter[Any]] = {
    "ErrorPayload": error_payload_adapter,
    "CustodyEntry": custody_adapter,
}
"""Discriminated unions that cross the boundary, by schema title."""


def schemas() -> dict[str, dict[str, Any]]:
    """Schema document per file name, e.g. `CaseData.json`, `ErrorPayload.json`."""
    documents = {f"{model.__name__}.json": model.model_json_schema() for model in PUBLIC_MODELS}
    for title, adapter in UNIONS.items():
        documents[f"{title}.json"] = {**adapter.json_schema(), "title": title}
    return documents


def render(document: dict[str, Any]) -> str:
    """The committed text form of one schema."""
    return pretty_json(document)


def export_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`, drop stale ones; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = schemas()
    for stale in folder.glob("*.json"):
        if stale.name not in documents:
            stale.unlink()
    written = []
    for name, document in documents.items():
        path = folder / name
        write_atomic(path, render(document).encode())
        written.append(path)
    return written

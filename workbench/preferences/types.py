"""`Preferences`: per-user settings, stored as JSON under the workbench home."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator

from workbench.cases import DateOrder
from workbench.errors import PreferencesError
from workbench.hashing.algorithms import DEFAULT_ALGORITHMS, HashAlgorithm
from workbench.model import Contract


class Preferences(Contract):
    """Settings that default the UI and the CLI."""

    error_class: ClassVar = PreferencesError

    templates_dir: Path | None = None
    """Folder of the user's templates; None means `<workbench home>/templates`."""
    default_template: str = "default"
    """Template id picked when nothing else is chosen."""
    destination_root: Path | None = None
    """Where case folders are created by default."""
    hash_algorithms: list[HashAlgorithm] = Field(default_factory=lambda: list(DEFAULT_ALGORITHMS))
    """Digests computed during a copy; blake3 is always included (and put first)."""
    workers: int | None = Field(default=None, ge=1, le=64)
    """Copy threads; None picks a value for the machine."""
    technician: str | None = None
    """Default technician for new cases."""
    badge_number: str | None = None
    """Default badge number for new cases."""
    source_organization: str | None = None
    """The agency or unit that hands evidence on (`Source-Organization` of a BagIt bag)."""
    date_order: DateOrder | None = None
    """How a slashed date reads: `DMY` (DD/MM/YYYY HH:MM) or `MDY` (MM/DD/YYYY HH:MM); None
    reads ISO dates only and refuses a slashed one rather than guess."""

    @field_validator("hash_algorithms")
    @classmethod
    def _blake3_first(cls, value: list[HashAlgorithm]) -> list[HashAlgorithm]:
        rest = [algo for algo in dict.fromkeys(value) if algo != "blake3"]
        return ["blake3", *rest]

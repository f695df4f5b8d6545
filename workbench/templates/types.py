"""Folder templates: each level becomes one folder name resolved from the case data."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from workbench.errors import ErrorPayload, TemplateError
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd

MAX_LEVELS = 10
"""More levels than this are refused at save time."""
ARCHIVE_SUFFIX = ".zip"
"""Every archive name ends with this (added when the pattern leaves it out)."""


class TemplateLevel(Contract):
    """One folder level: a pattern of `{field}` / `{datetime_field:strftime}` placeholders."""

    error_class: ClassVar = TemplateError

    pattern: str
    """Folder name pattern, e.g. `{business} @ {location}` or `{video_start:%Y-%m-%d}`."""
    fallback: str | None = None
    """Used when a field the pattern names is empty: `|`-separated alternatives tried in order,
    each may hold placeholders; an empty alternative (`""`, or a trailing `|`) drops the level."""


class Template(Contract):
    """A named folder layout; validated in full when saved (see `validate_template`)."""

    error_class: ClassVar = TemplateError

    id: str
    """Slug that names the template file: lower-case letters, digits, `-` and `_`."""
    name: str
    """Human-readable name shown in lists."""
    levels: list[TemplateLevel] = Field(default_factory=list)
    """Folder levels from the destination root down to the case folder."""
    description: str = ""
    """What the layout is for."""
    archive_name: TemplateLevel | None = None
    """How a ZIP export of a case is named: a pattern with an optional fallback, resolved like
    a level (`.zip` is added when missing); None means `{occurrence}_evidence.zip`."""


DEFAULT_ARCHIVE_NAME = TemplateLevel(pattern="{occurrence}_evidence.zip")
"""The archive name of a template that sets none."""


class ResolvedLevel(Contract):
    """How one level resolved for a case."""

    pattern: str
    """The level's pattern."""
    value: str | None
    """The sanitised folder name, or None when a `""` fallback dropped the level."""
    used_fallback: bool
    """True when a named field was empty and the fallback was used."""


class ResolvedPath(Contract):
    """A template resolved for one case: a relative path that cannot leave its root."""

    template_id: str
    """The template that was resolved."""
    relative: PurePosixPath
    """The case folder, relative to a destination root."""
    levels: list[ResolvedLevel]
    """One entry per template level, dropped levels included."""

    def to_frame(self) -> pd.DataFrame:
        """One row per level: `level`, `pattern`, `value`, `used_fallback`."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [
                {"level": i + 1, "pattern": lv.pattern, "value": lv.value,
                 "used_fallback": lv.used_fallback}
                for i, lv in enumerate(self.levels)
            ],
            columns=["level", "pattern", "value", "used_fallback"],
        )
        return frame


class TemplateScan(Contract):
    """The templates of one folder: the healthy ones and a problem for each file that is not."""

    error_class: ClassVar = TemplateError

    directory: Path
    """The folder that was scanned."""
    templates: list[Template]
    """Every healthy template, sorted by id."""
    problems: list[ErrorPayload] = Field(default_factory=list)
    """One typed problem (`CorruptFile`, `PermissionDenied`, ...) per file that was skipped."""


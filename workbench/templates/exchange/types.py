"""Types of template exchange: what an import did with each template of a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from workbench.errors import TemplateError
from workbench.model import Contract

if TYPE_CHECKING:
    import pandas as pd


OnConflict = Literal["skip", "rename", "replace"]
"""What an import does with a template whose id is already taken."""
ImportAction = Literal["imported", "replaced", "renamed", "skipped"]
"""What an import did with one template."""
ExchangeFormat = Literal["workbench", "desktop-app"]
"""The kind of template file that was read."""
IMPORT_COLUMNS = ["id", "source_id", "name", "action", "levels", "unmapped"]
"""Columns of an import table."""


class ImportedTemplate(Contract):
    """One template of an imported file and what became of it."""

    error_class: ClassVar = TemplateError

    id: str
    """The id it is stored under (its own id, a new one when renamed)."""
    source_id: str
    """Its id (or key) in the file."""
    name: str
    """Its name."""
    action: ImportAction
    """imported, replaced (an existing template of that id), renamed (id was taken) or skipped."""
    path: Path | None = None
    """The template file written (None when skipped)."""
    levels: int
    """How many folder levels it has."""
    unmapped: list[str] = Field(default_factory=list)
    """Fields and options of the file that could not be carried over, by name, each with what
    became of it."""


class TemplateImport(Contract):
    """The result of `import_templates`: every template of the file, in file order."""

    error_class: ClassVar = TemplateError

    source: Path
    """The file that was read."""
    format: ExchangeFormat
    """`workbench` (this tool's own export or template file) or `desktop-app`."""
    directory: Path
    """The templates folder they were stored in."""
    templates: list[ImportedTemplate]
    """One entry per template of the file."""
    unmapped: list[str] = Field(default_factory=list)
    """Parts of the file outside any template that were not used."""

    def ids(self, *actions: ImportAction) -> list[str]:
        """The stored ids of the templates an import handled with one of `actions`."""
        return [item.id for item in self.templates if item.action in actions]

    def to_frame(self) -> pd.DataFrame:
        """One row per template: id, source_id, name, action, levels, unmapped (joined)."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            [{**item.model_dump(include=set(IMPORT_COLUMNS)),
              "unmapped": "; ".join(item.unmapped)} for item in self.templates],
            columns=IMPORT_COLUMNS,
        )
        return frame

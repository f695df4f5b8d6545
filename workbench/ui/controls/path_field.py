"""`browse_row`: a path field with a Browse button that opens the folder browser under it, so
no path has to be typed (it still may be pasted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import ipywidgets as widgets

from workbench.ui.controls.folder_browser import FolderBrowser, Pick

PathKind = Literal["folder", "file"]
"""What a path field holds."""


class BrowseRow(widgets.VBox):
    """`field` and a Browse button; Browse shows a `FolderBrowser` (made on first use: it
    lists the drives) that opens at the field's folder and fills the field when a folder
    (or file) is chosen, then hides again."""

    def __init__(self, field: widgets.Text, kind: PathKind = "folder", **kwargs: Any) -> None:
        self.field, self.kind = field, kind
        self.browser: FolderBrowser | None = None
        """The browser, once Browse was pressed."""
        self.browse_button = widgets.ToggleButton(
            description="Browse…", icon="folder-open", layout={"width": "auto"},
            tooltip=f"Choose the {kind} in the folder browser")
        self.browse_button.add_class("wb-browse")
        self.browse_button.observe(self._toggled, names="value")
        self.holder = widgets.Box()
        super().__init__(children=[widgets.HBox([field, self.browse_button]), self.holder],
                         **kwargs)

    def _toggled(self, change: dict[str, Any]) -> None:
        if not change["new"]:
            self.holder.children = []
            return
        if self.browser is None:
            self.browser = FolderBrowser(on_pick=self._picked, picks=(self.kind,))
        start = Path(self.field.value.strip()) if self.field.value.strip() else None
        if start is not None:
            self.browser.open_folder(start if start.is_dir() else start.parent)
        self.holder.children = [self.browser]

    def _picked(self, _kind: Pick, path: Path) -> None:
        self.field.value = str(path)
        self.browse_button.value = False

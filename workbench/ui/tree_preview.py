"""`TreePreview`: what a copy would do, as a table, before anything is written."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from workbench.cases import CaseData
from workbench.errors import WorkbenchError
from workbench.hashing import HashAlgorithm
from workbench.processing import CopyPlan, plan_copy
from workbench.templates import Template
from workbench.ui.common import human_size, message_html

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 200
"""Rows rendered in the table; the counts above it always cover the whole plan."""
_FLAGGED = {"conflict": "background-color:#fde0dc", "refused": "background-color:#fff3cd"}


def styled_table(frame: pd.DataFrame, column: str, colours: dict[str, str],
                 hide: Sequence[str] = ("source", "destination")) -> str:
    """`frame` as an HTML table, each row coloured by its value in `column`.

    The absolute `hide` columns are left out: the case folders are shown once above the
    table and `relative` names the file inside them.

    A pandas `Styler` rendered into an `HTML` widget: it is plain HTML that needs no
    front-end extension, survives notebook export, and its per-row CSS highlights the
    problem rows; an `Output` widget holding a displayed DataFrame cannot be updated
    from a worker thread without `display()`, which the copy panel must never call. Cell
    texts (file names, tags) are HTML-escaped: a name like `<img src=x>` is shown, not run.
    """

    def colour(row: pd.Series) -> list[str]:
        css = colours.get(str(row.get(column, "")), "")
        return [css] * len(row)

    shown = frame.drop(columns=list(hide), errors="ignore").head(MAX_ROWS)
    styler = shown.style.apply(colour, axis=1).hide(axis="index").format(escape="html")
    styler = styler.set_table_attributes('class="wb-table" style="font-size:12px"')
    more = len(frame) - len(shown)
    tail = f"<p>… and {more} more rows.</p>" if more > 0 else ""
    return f'<div style="max-height:360px;overflow:auto">{styler.to_html()}</div>{tail}'


def plan_counts(plan: CopyPlan) -> str:
    """One line: files and their total size, destinations, bytes to copy, rows by action."""
    actions = Counter(item.action for item in plan.items)
    to_copy = sum(item.size for item in plan.items if item.action == "copy")
    sizes = {item.source: item.size for item in plan.items}
    files = len(sizes)
    parts = [f"{files} file{'s' if files != 1 else ''} ({human_size(sum(sizes.values()))})",
             f"{len(plan.targets)} destination{'s' if len(plan.targets) != 1 else ''}",
             f"{human_size(to_copy)} to copy"]
    parts += [f"{count} {action}" for action, count in sorted(actions.items())]
    return " · ".join(parts)


class TreePreview(widgets.VBox):
    """The plan of a copy: counts, total size, and one row per file per destination.

    Call `refresh(...)` when the case, template, sources or destination change; planning
    failures (a missing source, an unresolvable template) show as a message.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.plan: CopyPlan | None = None
        """The last plan made, None when planning failed or had nothing to plan."""
        self.message = widgets.HTML()
        self.counts = widgets.HTML()
        self.table = widgets.HTML()
        super().__init__(children=[self.message, self.counts, self.table], **kwargs)
        self.add_class("wb-tree-preview")

    def refresh(self, case: CaseData | None, template: Template | None,
                sources: Sequence[str], destination: str, also_to: Sequence[str] = (),
                algorithms: Sequence[HashAlgorithm] | None = None) -> CopyPlan | None:
        """Plan the copy and show it; returns the plan, or None with the reason shown."""
        self.plan = None
        missing = _missing_input(case, template, sources, destination)
        if missing:
            self._show(message_html(missing), "", "")
            return None
        assert case is not None and template is not None
        try:
            plan = plan_copy(list(sources), case, template, destination,
                             also_to=list(also_to), algorithms=list(algorithms or []) or None)
        except WorkbenchError as exc:
            self._show(message_html(str(exc), "error"), "", "")
            return None
        self.plan = plan
        header = "<br>".join(
            f"{target.role} case folder: <code>{html.escape(str(target.destination))}</code>"
            for target in plan.targets
        )
        self._show(header, message_html(plan_counts(plan)),
                   styled_table(plan.to_frame(), "action", _FLAGGED))
        return plan

    def _show(self, message: str, counts: str, table: str) -> None:
        self.message.value, self.counts.value, self.table.value = message, counts, table

    def __repr__(self) -> str:
        if self.plan is None:
            return "<TreePreview: no plan>"
        files = len({item.source for item in self.plan.items})
        return f"<TreePreview: {files} files to {len(self.plan.targets)} destinations>"


def _missing_input(case: CaseData | None, template: Template | None,
                   sources: Sequence[str], destination: str) -> str:
    if case is None:
        return "Fill in the case to preview the folder tree."
    if template is None:
        return "Choose a template to preview the folder tree."
    if not sources:
        return "Add at least one source (one path per line)."
    if not destination.strip():
        return "Choose a destination folder."
    return ""

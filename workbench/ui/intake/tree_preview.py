"""`TreePreview`: what a copy would do, as a table, before anything is written."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from workbench.cases import CaseData
from workbench.errors import WorkbenchError
from workbench.evidence import human_size
from workbench.hashing import HashAlgorithm
from workbench.processing import CopyPlan, plan_copy
from workbench.templates import Template
from workbench.ui.controls import message_html, styled_table

if TYPE_CHECKING:
    pass

_FLAGGED = {"conflict": "background-color:#fde0dc", "refused": "background-color:#fff3cd"}


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

"""`TemplateEditor`: pick, edit, preview, save and delete folder templates."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.cases import CaseData
from workbench.errors import FieldProblem, WorkbenchError
from workbench.events import TEMPLATE_DELETED, TEMPLATE_SAVED, subscribe
from workbench.preferences import load_preferences
from workbench.templates import (
    DEFAULT_ARCHIVE_NAME,
    Template,
    TemplateLevel,
    delete_template,
    get_template,
    resolve_archive_name,
    resolve_path,
    save_template,
    scan_templates,
    template_problems,
)
from workbench.templates.exchange import TemplateImport, export_templates, import_templates
from workbench.ui.controls import error_label, message_html, reports_errors, text_field

_STYLE = {"description_width": "90px"}
_HIDDEN = "none"


def _button(description: str, tooltip: str, **kwargs: Any) -> widgets.Button:
    return widgets.Button(
        description=description, tooltip=tooltip,
        layout=widgets.Layout(width="auto"), **kwargs,
    )


class LevelRow(widgets.HBox):
    """One template level: pattern, fallback (or drop when empty), move, remove, error."""

    def __init__(self, level: TemplateLevel, on_change: Callable[[], None],
                 on_move: Callable[[LevelRow, int], None],
                 on_remove: Callable[[LevelRow], None]) -> None:
        self.pattern = text_field(
            value=level.pattern, placeholder="{occurrence}",
            layout=widgets.Layout(width="380px"),
        )
        self.fallback = text_field(
            value=level.fallback or "", placeholder="fallback (optional)",
            layout=widgets.Layout(width="220px"),
        )
        self.drop = widgets.Checkbox(
            value=level.fallback == "", description="drop if empty", indent=False,
            layout=widgets.Layout(width="110px"),
        )
        self.up = _button("↑", "Move this level up")
        self.down = _button("↓", "Move this level down")
        self.remove = _button("✕", "Remove this level")
        self.error = error_label()
        for field in (self.pattern, self.fallback, self.drop):
            field.observe(lambda _change: on_change(), names="value")
        self.up.on_click(lambda _b: on_move(self, -1))
        self.down.on_click(lambda _b: on_move(self, +1))
        self.remove.on_click(lambda _b: on_remove(self))
        super().__init__([
            self.pattern, self.fallback, self.drop, self.up, self.down, self.remove, self.error,
        ])
        self.add_class("wb-level")

    @property
    def level(self) -> TemplateLevel:
        """The level these fields describe (`drop if empty` means fallback `""`)."""
        fallback = "" if self.drop.value else (self.fallback.value or None)
        return TemplateLevel(pattern=self.pattern.value, fallback=fallback)

    def close(self) -> None:
        """Close the row's fields and buttons with it (each is a front-end model)."""
        for child in self.children:
            child.close()
        super().close()

    def __repr__(self) -> str:
        return f"<LevelRow: {self.pattern.value!r}>"


class TemplateEditor(widgets.VBox):
    """Edit a `Template` with a live preview of the folder path it gives for `.case`.

    `.value` is the template the fields describe (setting it fills them). Validation
    problems show on the offending level. Save and Delete (after a confirmation) go to
    the configured templates folder; the list follows `template:saved/deleted` events.
    """

    value = traitlets.Instance(Template)
    case = traitlets.Instance(CaseData, allow_none=True)
    """The case the preview resolves the template for."""

    def __init__(self, value: Template | None = None, case: CaseData | None = None,
                 **kwargs: Any) -> None:
        self.choose = widgets.Dropdown(description="Template", style=_STYLE,
                                       layout=widgets.Layout(width="420px"))
        self.id = text_field(description="Id", style=_STYLE)
        self.name = text_field(description="Name", style=_STYLE,
                                 layout=widgets.Layout(width="420px"))
        self.description = text_field(description="Description", style=_STYLE,
                                        layout=widgets.Layout(width="620px"))
        self.id_error, self.name_error = error_label(), error_label()
        self.archive_pattern = text_field(
            description="Archive", style=_STYLE, layout=widgets.Layout(width="380px"),
            placeholder=DEFAULT_ARCHIVE_NAME.pattern,
        )
        """The ZIP export's name pattern (empty: the default)."""
        self.archive_fallback = text_field(placeholder="fallback (optional)",
                                           layout=widgets.Layout(width="220px"))
        self.archive_error = error_label()
        self.exchange_path = text_field(
            description="File", style=_STYLE, layout=widgets.Layout(width="420px"),
            placeholder="a template file to import, or where to export this template",
        )
        self.on_conflict = widgets.Dropdown(
            description="If taken", options=[("skip it", "skip"), ("rename it", "rename"),
                                              ("replace mine", "replace")],
            value="skip", style=_STYLE, layout=widgets.Layout(width="220px"),
        )
        self.import_button = _button("Import", "Import every template of the file (this "
                                     "workbench's export or the desktop app's "
                                     "folder_templates.json)", icon="upload")
        self.export_button = _button("Export", "Write the saved template to the file",
                                     icon="download")
        self.imported: TemplateImport | None = None
        """The last import's report."""
        self.levels_box = widgets.VBox()
        self.add_button = _button("Add level", "Add a folder level at the bottom", icon="plus")
        self.save_button = _button("Save", "Save this template", icon="save",
                                   button_style="primary")
        self.delete_button = _button("Delete", "Delete this template", icon="trash",
                                     button_style="danger")
        self.new_button = _button("New", "Start a new template", icon="file")
        self.confirm_delete_button = _button("Yes, delete", "Delete for good",
                                             button_style="danger")
        self.keep_button = _button("Keep it", "Do not delete")
        self.confirm_text = widgets.HTML()
        self.confirm_box = widgets.HBox(
            [self.confirm_text, self.confirm_delete_button, self.keep_button],
            layout=widgets.Layout(display=_HIDDEN),
        )
        self.problems = widgets.HTML()
        """Validation problems that belong to no single level (e.g. no levels at all)."""
        self.preview = widgets.HTML()
        """The resolved folder path for `.case`, or why there is none."""
        self.message = widgets.HTML()
        self.rows: list[LevelRow] = []
        self._filling = False
        self.choose.observe(self._chosen, names="value")
        for field in (self.id, self.name, self.description, self.archive_pattern,
                      self.archive_fallback):
            field.observe(self._fields_changed, names="value")
        self.import_button.on_click(self._import)
        self.export_button.on_click(self._export)
        self.add_button.on_click(self._add_level)
        self.save_button.on_click(self._save)
        self.delete_button.on_click(self._ask_delete)
        self.confirm_delete_button.on_click(self._delete)
        self.keep_button.on_click(self._keep)
        self.new_button.on_click(self._new)
        self.save_button.add_class("wb-template-save")
        super().__init__(children=[
            widgets.HBox([self.choose, self.new_button]),
            widgets.HBox([self.id, self.id_error]),
            widgets.HBox([self.name, self.name_error]),
            self.description,
            widgets.HTML("<b>Levels</b> (pattern · fallback when a field is empty)"),
            self.levels_box, widgets.HBox([self.add_button]),
            widgets.HBox([self.archive_pattern, self.archive_fallback, self.archive_error]),
            self.problems, self.preview,
            widgets.HBox([self.save_button, self.delete_button]), self.confirm_box,
            widgets.HTML("<b>Exchange</b> (import a file of templates, or export this one)"),
            widgets.HBox([self.exchange_path, self.on_conflict, self.import_button,
                          self.export_button]),
            self.message,
        ], **kwargs)
        self.add_class("wb-template-editor")
        self._unsubscribe = [
            subscribe(TEMPLATE_SAVED, self._list_changed),
            subscribe(TEMPLATE_DELETED, self._list_changed),
        ]
        self._refresh_choices()
        self.value = value or self._initial_template()
        self.case = case

    # -- loading -------------------------------------------------------------------------

    def _initial_template(self) -> Template:
        wanted = self.choose.value
        try:
            default = load_preferences().default_template
            if default in dict(self.choose.options).values():
                wanted = default
            return get_template(wanted) if wanted else _blank_template()
        except WorkbenchError as exc:
            self._say(str(exc), "warning")
            return _blank_template()

    def _refresh_choices(self) -> None:
        scan = scan_templates()
        current = self.choose.value
        self._filling = True
        try:
            self.choose.options = [(f"{t.name} ({t.id})", t.id) for t in scan.templates]
            ids = [t.id for t in scan.templates]
            self.choose.value = current if current in ids else None
        finally:
            self._filling = False
        if scan.problems:
            self._say(" ".join(problem.describe() for problem in scan.problems), "warning")

    @reports_errors(lambda self, text: self._say(text, "error"))
    def _list_changed(self, _payload: object) -> None:
        self._refresh_choices()

    @reports_errors(lambda self, text: self._say(text, "error"))
    def _chosen(self, change: dict[str, Any]) -> None:
        if not self._filling and change["new"] is not None:
            self.value = get_template(change["new"])

    # -- fields <-> value ----------------------------------------------------------------

    @traitlets.observe("value")
    def _value_set(self, change: dict[str, Any]) -> None:
        if self._filling:
            return
        template: Template = change["new"]
        self._filling = True
        try:
            self.id.value, self.name.value = template.id, template.name
            self.description.value = template.description
            archive = template.archive_name
            self.archive_pattern.value = archive.pattern if archive else ""
            self.archive_fallback.value = (archive.fallback or "") if archive else ""
            for row in self.rows:
                row.close()
            self.rows = [self._row(level) for level in template.levels]
            ids = [option[1] for option in self.choose.options]
            self.choose.value = template.id if template.id in ids else None
        finally:
            self._filling = False
        self._render()

    def _row(self, level: TemplateLevel) -> LevelRow:
        return LevelRow(level, self._fields_changed, self._move, self._remove)

    def _fields_changed(self, _change: object = None) -> None:
        if self._filling:
            return
        self._filling = True
        try:
            pattern = self.archive_pattern.value.strip()
            self.value = Template(
                id=self.id.value.strip(), name=self.name.value.strip(),
                levels=[row.level for row in self.rows],
                description=self.description.value.strip(),
                archive_name=TemplateLevel(pattern=pattern,
                                           fallback=self.archive_fallback.value or None)
                if pattern else None,
            )
        finally:
            self._filling = False
        self._validate()

    def _render(self) -> None:
        self.levels_box.children = self.rows
        for index, row in enumerate(self.rows):
            row.up.disabled = index == 0
            row.down.disabled = index == len(self.rows) - 1
        self._validate()

    def _move(self, row: LevelRow, delta: int) -> None:
        index = self.rows.index(row)
        other = index + delta
        if 0 <= other < len(self.rows):
            self.rows[index], self.rows[other] = self.rows[other], self.rows[index]
            self._structure_changed()

    def _remove(self, row: LevelRow) -> None:
        self.rows.remove(row)
        row.close()
        self._structure_changed()

    def _add_level(self, _button: object) -> None:
        self.rows.append(self._row(TemplateLevel(pattern="")))
        self._structure_changed()

    def _structure_changed(self) -> None:
        self.levels_box.children = self.rows
        self._fields_changed()
        self._render()

    # -- validation and preview ----------------------------------------------------------

    @traitlets.observe("case")
    def _case_set(self, _change: object) -> None:
        self._validate()

    def _validate(self) -> None:
        problems = template_problems(self.value)
        for row in self.rows:
            row.error.value = ""
        self.id_error.value = self.name_error.value = self.archive_error.value = ""
        general: list[FieldProblem] = []
        for problem in problems:
            if problem.field.startswith("archive_name."):
                self.archive_error.value += message_html(problem.message, "error")
            elif problem.level is not None and problem.level < len(self.rows):
                label = self.rows[problem.level].error
                label.value += message_html(problem.message, "error")
            elif problem.field in ("id", "name"):
                target = self.id_error if problem.field == "id" else self.name_error
                target.value = message_html(problem.message, "error")
            else:
                general.append(problem)
        self.save_button.disabled = bool(problems)
        self.problems.value = message_html(
            "; ".join(f"{p.field}: {p.message}" for p in general), "error"
        )
        self._preview(problems)

    def _preview(self, problems: list[FieldProblem]) -> None:
        if problems:
            self.preview.value = message_html("Fix the template to preview its path.", "warning")
            return
        if self.case is None:
            self.preview.value = message_html("Fill in the case to preview the path.")
            return
        try:
            resolved = resolve_path(self.value, self.case)
        except WorkbenchError as exc:
            level = getattr(exc.payload, "level", None)
            if isinstance(level, int) and level < len(self.rows):
                self.rows[level].error.value = message_html(str(exc), "error")
            self.preview.value = message_html(str(exc), "error")
            return
        try:
            archive = f"<code>{html.escape(resolve_archive_name(self.value, self.case))}</code>"
        except WorkbenchError as exc:
            archive = message_html(str(exc), "error")
        self.preview.value = (
            '<div class="wb-template-preview">Case folder: '
            f"<code>{html.escape(str(resolved.relative))}</code><br>ZIP export: {archive}</div>"
        )

    # -- actions -------------------------------------------------------------------------

    def _say(self, text: str, kind: Any = "info") -> None:
        self.message.value = message_html(text, kind)

    @reports_errors(lambda self, text: self._say(text, "error"))
    def _save(self, _button: object) -> None:
        where = save_template(self.value)
        self._say(f"Saved template {self.value.id!r} to {where}.", "ok")

    def _ask_delete(self, _button: object) -> None:
        self.confirm_text.value = message_html(
            f"Delete template {self.value.id!r}? This cannot be undone.", "warning"
        )
        self.confirm_box.layout.display = None

    def _keep(self, _button: object) -> None:
        self.confirm_box.layout.display = _HIDDEN

    @reports_errors(lambda self, text: self._say(text, "error"))
    def _delete(self, _button: object) -> None:
        self.confirm_box.layout.display = _HIDDEN
        gone = self.value.id
        delete_template(gone)
        options = [option[1] for option in self.choose.options]
        self.value = get_template(options[0]) if options else _blank_template()
        self._say(f"Deleted template {gone!r}.", "ok")

    @reports_errors(lambda self, text: self._say(text, "error"))
    def _import(self, _button: object) -> None:
        path = self.exchange_path.value.strip()
        if not path:
            self._say("Give the file to import.", "error")
            return
        report = import_templates(path, self.on_conflict.value)
        self.imported = report
        stored = report.ids("imported", "renamed", "replaced")
        parts = [f"{len(report.ids(action))} {action}" for action in
                 ("imported", "renamed", "replaced", "skipped") if report.ids(action)]
        notes = [f"{item.id}: {note}" for item in report.templates for note in item.unmapped]
        notes += report.unmapped
        self._refresh_choices()
        if stored:
            self.value = get_template(stored[0])
        text = f"From {path} ({report.format}): {', '.join(parts) or 'nothing'}."
        if notes:
            text += " Not carried over: " + "; ".join(notes)
        self._say(text, "warning" if notes else "ok")

    @reports_errors(lambda self, text: self._say(text, "error"))
    def _export(self, _button: object) -> None:
        path = self.exchange_path.value.strip()
        if not path:
            self._say("Give the file to export to.", "error")
            return
        where = export_templates([self.value.id], path)
        self._say(f"Exported the saved template {self.value.id!r} to {where}.", "ok")

    def _new(self, _button: object) -> None:
        self.value = _blank_template()
        self._say("New template: give it an id and a name, then Save.")

    def close(self) -> None:
        """Stop following template events, then close the widget."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        super().close()

    def __repr__(self) -> str:
        return f"<TemplateEditor: template {self.value.id or '(no id)'}>"


def _blank_template() -> Template:
    return Template(id="new-template", name="New template",
                    levels=[TemplateLevel(pattern="{occurrence}")])

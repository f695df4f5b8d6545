"""`CaseForm`: the case facts, validated as they are typed, errors shown beside each field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.cases import CaseData, format_offset, intake_now
from workbench.errors import CaseError, WorkbenchError
from workbench.media import dvr_offset_from
from workbench.preferences import load_preferences
from workbench.ui.controls import error_label, message_html, text_area, text_field
from workbench.ui.intake.recorders_editor import RecordersEditor

_TEXT_FIELDS = {
    "occurrence": "Occurrence",
    "business": "Business",
    "location": "Location",
    "technician": "Technician",
    "badge_number": "Badge",
}
_EXHIBIT_TEXT = {
    "exhibit_number": "Exhibit / item",
    "seal_numbers": "Seal numbers",
    "received_from_name": "Received from",
    "received_from_organisation": "Organisation",
    "seized_at": "Seized at",
}
"""The exhibit facts typed as text, in the collapsible group (seal numbers split at , or ;)."""
_DATETIME_FIELDS = {"video_start": "Video start", "video_end": "Video end",
                    "received_at": "Received at"}
_MOMENTS = frozenset({*_DATETIME_FIELDS, "intake_time"})
"""Fields whose widget holds a datetime (None when empty), not text."""
_STYLE = {"description_width": "110px"}
_WIDE = {"width": "420px"}


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S}"


class CaseForm(widgets.VBox):
    """Case data entry. `.value` is the `CaseData` the fields describe, or None while invalid.

    Setting `.value` fills the fields (None clears them). Observe `value` to follow
    changes. Technician and badge default from the saved preferences. The video window
    uses `NaiveDatetimePicker` (ipywidgets 8): a recorder's clock has no time zone, and
    the DVR offset field says how far it is from real time.
    """

    value = traitlets.Instance(CaseData, allow_none=True)

    def __init__(self, value: CaseData | None = None, **kwargs: Any) -> None:
        self.inputs: dict[str, widgets.ValueWidget] = {
            name: text_field(description=label, style=_STYLE, layout=_WIDE)
            for name, label in _TEXT_FIELDS.items()
        }
        self.inputs["occurrence"].placeholder = "required, e.g. 2026-004512"
        for name, label in _DATETIME_FIELDS.items():
            if name != "received_at":
                self.inputs[name] = widgets.NaiveDatetimePicker(description=label, style=_STYLE)
        self.inputs["dvr_offset"] = text_field(
            description="DVR offset", style=_STYLE, layout=_WIDE,
            placeholder="+01:30:00 or 'DVR is 1h30m ahead'",
        )
        self.inputs["time_zone"] = text_field(
            description="Time zone", style=_STYLE, layout=_WIDE,
            placeholder="real times shown in, e.g. America/Toronto")
        self.inputs["intake_time"] = widgets.DatetimePicker(description="Intake time",
                                                            style=_STYLE)
        """When the case was taken in: set (local time) when its occurrence is first entered,
        editable; kept from a case put into `.value`."""
        self.inputs["notes"] = text_area(description="Notes", style=_STYLE, layout=_WIDE)
        exhibit = [*_EXHIBIT_TEXT, "received_at"]
        for name, label in _EXHIBIT_TEXT.items():
            self.inputs[name] = text_field(description=label, style=_STYLE, layout=_WIDE)
        self.inputs["received_at"] = widgets.NaiveDatetimePicker(description="Received at",
                                                                 style=_STYLE)
        self.errors: dict[str, widgets.HTML] = {name: error_label() for name in self.inputs}
        self.real_window = widgets.HTML()
        """The video window in real time, derived from the DVR offset."""
        self.dvr_showed = widgets.NaiveDatetimePicker(description="DVR showed", style=_STYLE)
        """One observed pair: what the recorder's clock showed ..."""
        self.real_time = widgets.NaiveDatetimePicker(description="when it was", style=_STYLE)
        """... at this real time (a phone's clock, the speaking clock)."""
        self.offset_button = widgets.Button(
            description="Set offset", icon="clock-o",
            tooltip="Compute the DVR offset from what the recorder showed at a known real time")
        self.offset_button.add_class("wb-case-offset-button")
        self.offset_button.on_click(self._offset_from_pair)
        self.message = widgets.HTML()
        """Problems that belong to no single field (and preference loading problems)."""
        for name, field in self.inputs.items():
            field.add_class(f"wb-case-{name.replace('_', '-')}")
        rows = [widgets.HBox([field, self.errors[name]]) for name, field in self.inputs.items()
                if name not in exhibit]
        at = list(self.inputs).index("dvr_offset") + 1
        rows[at:at] = [self.real_window,
                       widgets.HBox([self.dvr_showed, self.real_time, self.offset_button])]
        self.recorders = RecordersEditor()
        """The case's recorders and their clocks (none: `dvr_offset` is the one clock)."""
        self.recorders.observe(self._fields_changed, names="value")
        self.exhibit = widgets.Accordion(
            children=[widgets.VBox([widgets.HBox([self.inputs[name], self.errors[name]])
                                    for name in exhibit])],
            titles=("Exhibit facts (optional)",))
        """The exhibit facts, grouped and collapsed until opened."""
        super().__init__(children=[*rows, self.recorders, self.exhibit, self.message], **kwargs)
        self.add_class("wb-case-form")
        self._filling = False
        self._defaults_from_preferences()
        self.inputs["occurrence"].observe(self._entered, names="value")  # before the check
        for field in self.inputs.values():
            field.observe(self._fields_changed, names="value")
        if value is not None:
            self.value = value
        else:
            self._fields_changed()

    def _defaults_from_preferences(self) -> None:
        try:
            prefs = load_preferences()
        except WorkbenchError as exc:
            self.message.value = message_html(str(exc), "warning")
            return
        self.inputs["technician"].value = prefs.technician or ""
        self.inputs["badge_number"].value = prefs.badge_number or ""

    def _raw(self) -> dict[str, Any]:
        return {name: field.value for name, field in self.inputs.items()} | {
            "recorders": list(self.recorders.value)}

    def _fields_changed(self, _change: object = None) -> None:
        if self._filling:
            return
        for label in self.errors.values():
            label.value = ""
        self.message.value = ""
        try:
            case = CaseData(**self._raw())
        except CaseError as exc:
            self._show_problems(exc)
            case = None
        self._filling = True
        try:
            self.value = case
        finally:
            self._filling = False
        self._show_real_window(case)

    def _entered(self, change: dict[str, Any]) -> None:
        """An occurrence typed into an empty form: the case is entered now, its intake time
        (a case put into `.value` keeps its own, None included)."""
        intake = self.inputs["intake_time"]
        if not self._filling and intake.value is None and str(change["new"]).strip():
            intake.value = intake_now()

    def _offset_from_pair(self, _button: object = None) -> None:
        """Fill in the DVR offset from the observed pair (recorder clock, real time)."""
        if self.dvr_showed.value is None or self.real_time.value is None:
            self.message.value = message_html(
                "Give what the DVR showed and the real time at that moment.", "error")
            return
        try:
            offset = dvr_offset_from(self.dvr_showed.value, self.real_time.value)
        except WorkbenchError as exc:
            self.message.value = message_html(str(exc), "error")
            return
        self.inputs["dvr_offset"].value = format_offset(offset)

    def _show_problems(self, exc: CaseError) -> None:
        problems = getattr(exc.payload, "problems", [])
        general = []
        for problem in problems:
            name = problem.field.split(".")[0]
            if name in self.errors:
                blank = self.inputs[name].value in ("", None)
                text = "required" if blank else problem.message
                self.errors[name].value = message_html(text, "error")
            else:
                general.append(problem.message)
        if general or not problems:
            self.message.value = message_html("; ".join(general) or str(exc), "error")

    def _show_real_window(self, case: CaseData | None) -> None:
        if case is None or case.dvr_offset is None:
            self.real_window.value = ""
            return
        self.real_window.value = message_html(
            f"DVR clock {format_offset(case.dvr_offset)} → real time "
            f"{_when(case.real_start)} to {_when(case.real_end)}"
        )

    @traitlets.observe("value")
    def _value_set(self, change: dict[str, Any]) -> None:
        if self._filling:
            return
        case: CaseData | None = change["new"]
        self._filling = True
        try:
            for name, field in self.inputs.items():
                current = None if case is None else getattr(case, name)
                if name == "dvr_offset" and current is not None:
                    current = format_offset(current)
                if name == "seal_numbers":
                    current = "; ".join(current or [])
                field.value = current if name in _MOMENTS else (current or "")
            self.recorders.value = [] if case is None else list(case.recorders)
            if case is None:
                self._defaults_from_preferences()
        finally:
            self._filling = False
        self._fields_changed()

    def __repr__(self) -> str:
        return f"<CaseForm: case {self.value.occurrence}>" if self.value else "<CaseForm: invalid>"

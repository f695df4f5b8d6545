"""`RecordersEditor`: a case's recorders (make, model, serial, zone, daylight saving, the
export folders that are theirs) and their clock observations, edited in the Case form."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.cases import ClockObservation, Recorder
from workbench.errors import WorkbenchError
from workbench.ui.controls import message_html, text_field

_STYLE = {"description_width": "110px"}
_WIDE = {"width": "420px"}
_FACTS = {"name": "Recorder", "make": "Make", "model": "Model", "serial": "Serial",
          "time_zone": "Time zone", "folders": "Folders"}


class RecordersEditor(widgets.VBox):
    """`.value` is the list of `Recorder`s. Fill in a recorder's facts (and, optionally, one
    clock observation: what it showed at a known real time) and press `.add_button`: a new
    name adds a recorder, a known one updates it and adds the observation (two or more give
    its drift). `.remove_button` removes the recorder named."""

    value = traitlets.List(traitlets.Instance(Recorder))

    def __init__(self, **kwargs: Any) -> None:
        self.inputs = {name: text_field(description=label, style=_STYLE, layout=_WIDE)
                       for name, label in _FACTS.items()}
        self.inputs["time_zone"].placeholder = "e.g. Europe/London (IANA name)"
        self.inputs["folders"].placeholder = "export folders of this recorder, comma-separated"
        self.observes_dst = widgets.Checkbox(value=True, description="follows daylight saving")
        self.showed = widgets.NaiveDatetimePicker(description="It showed", style=_STYLE)
        self.real_time = widgets.NaiveDatetimePicker(description="when it was", style=_STYLE)
        self.add_button = widgets.Button(description="Add / update", icon="plus")
        self.remove_button = widgets.Button(description="Remove", icon="trash")
        self.table = widgets.HTML()
        self.message = widgets.HTML()
        self.add_button.on_click(self._add)
        self.remove_button.on_click(self._remove)
        super().__init__(children=[
            widgets.HTML("<b>Recorders and their clocks</b>"), *self.inputs.values(),
            self.observes_dst, widgets.HBox([self.showed, self.real_time]),
            widgets.HBox([self.add_button, self.remove_button]), self.message, self.table,
        ], **kwargs)
        self.add_class("wb-recorders-editor")

    def _add(self, _button: object = None) -> None:
        facts = {name: field.value.strip() or None for name, field in self.inputs.items()}
        name = facts.pop("name") or ""
        folders = [part.strip() for part in (facts.pop("folders") or "").split(",")
                   if part.strip()]
        known = next((r for r in self.value if r.name == name), None)
        observations = list(known.observations) if known else []
        try:
            if self.showed.value is not None or self.real_time.value is not None:
                observations.append(ClockObservation(recorder_time=self.showed.value,
                                                     real_time=self.real_time.value))
            recorder = Recorder(name=name, **facts, observes_dst=self.observes_dst.value,
                                folders=folders, observations=observations)
        except WorkbenchError as exc:
            self.message.value = message_html(str(exc), "error")
            return
        self.message.value = ""
        self.value = [r for r in self.value if r.name != name] + [recorder]

    def _remove(self, _button: object = None) -> None:
        name = self.inputs["name"].value.strip()
        self.value = [r for r in self.value if r.name != name]

    @traitlets.observe("value")
    def _show(self, change: dict[str, Any]) -> None:
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in (
                r.name, r.make or "", r.model or "", r.serial or "", r.time_zone or "unknown",
                "yes" if r.observes_dst else "no (standard time)", ", ".join(r.folders),
                _clock(r))) + "</tr>"
            for r in change["new"])
        heads = "".join(f"<th>{h}</th>" for h in ("Recorder", "Make", "Model", "Serial", "Zone",
                                                 "DST", "Folders", "Clock"))
        self.table.value = f"<table><tr>{heads}</tr>{rows}</table>" if rows else ""


def _clock(recorder: Recorder) -> str:
    line = recorder.clock_line()
    if line is None:
        return "taken as right"
    offset, drift = line
    ahead = recorder.error_at(recorder.observations[0].recorder_time).total_seconds()
    if len(recorder.observations) == 1 or drift == 0:
        return f"{ahead:+.0f} s"
    return f"{ahead:+.0f} s, drifting {drift * 86_400:+.2f} s/day (offset {offset:+.0f})"


__all__ = ["RecordersEditor"]

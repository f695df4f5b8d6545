"""`HashChoice`: the digests of a copy as tick boxes (no Ctrl-click), blake3 always on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from workbench.hashing import ALGORITHMS, DEFAULT_ALGORITHMS, HashAlgorithm

ALWAYS: HashAlgorithm = "blake3"
"""The digest every copy computes (the manifest `b3sum --check` reads)."""


class HashChoice(widgets.HBox):
    """One tick box per algorithm; `.value` is the ticked ones in table order (a trait, so it
    can be observed and set like a `SelectMultiple`'s)."""

    value = traitlets.Tuple()

    def __init__(self, value: Sequence[str] = DEFAULT_ALGORITHMS, **kwargs: Any) -> None:
        self.boxes = {name: widgets.Checkbox(description=name, indent=False,
                                             layout={"width": "auto"}, disabled=name == ALWAYS)
                      for name in ALGORITHMS}
        self.boxes[ALWAYS].description = f"{ALWAYS} (always)"
        for box in self.boxes.values():
            box.observe(self._ticked, names="value")
        label = widgets.Label("Hashes", layout={"width": "110px"})
        super().__init__(children=[label, *self.boxes.values()], **kwargs)
        self.add_class("wb-hash-choice")
        self.value = tuple(value)

    @traitlets.validate("value")
    def _with_blake3(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        chosen = {ALWAYS, *proposal["value"]}
        return tuple(name for name in ALGORITHMS if name in chosen)

    @traitlets.observe("value")
    def _shown(self, change: dict[str, Any]) -> None:
        for name, box in self.boxes.items():
            box.value = name in change["new"]

    def _ticked(self, _change: object) -> None:
        self.value = tuple(name for name, box in self.boxes.items() if box.value)

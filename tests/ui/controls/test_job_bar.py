"""A panel's progress bar says how far and how long only: sizes and the speed are the status
line's and the summary's, so a panel shows one size format and one speed."""

from __future__ import annotations

import ipywidgets as widgets

from workbench.ui import ExportPanel


def test_the_bar_shows_no_size_and_no_rate() -> None:
    panel = ExportPanel()
    bar, _relay = panel.new_bar("zip", unit="B", unit_scale=True, unit_divisor=1024)
    bar.reset(total=1_000_000)
    bar.update(400_000)
    bar.refresh()
    text = " ".join(child.value for child in bar.container.children
                    if isinstance(child, widgets.HTML))
    assert "40%" in text and "elapsed" in text and "left" in text
    assert "B/s" not in text and "k/" not in text and "it/s" not in text
    bar.close()

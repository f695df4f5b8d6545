"""DataFrames as HTML tables for widgets, each row coloured by its status."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from math import isnan
from typing import TYPE_CHECKING, Any, cast

from workbench.evidence import human_size

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 200
"""Rows rendered in a table; counts shown beside it always cover the whole frame."""
LABELS: dict[str, str] = {
    "relative": "file", "bytes_verified": "size verified", "bytes_total": "total",
    "duration_s": "duration", "throughput_mbps": "speed", "speed_mbps": "speed",
    "video_start": "video start", "video_end": "video end", "case_folder": "case folder",
}
"""Headings people read for the API's field names (any other: its words, `_` as spaces)."""


def label(name: str) -> str:
    """The heading of the field `name`."""
    return LABELS.get(name, name.replace("_", " "))


def shown_value(name: str, value: Any) -> str:
    """A value as the widgets show it: one size format (`human_size`), one speed (MB/s), whole
    numbers with separators, seconds as such."""
    if isinstance(value, bool) or value is None or (isinstance(value, float) and isnan(value)):
        return str(value) if isinstance(value, bool) else "—"
    if isinstance(value, int | float) and (name == "size" or "bytes" in name):
        return human_size(int(value))
    if isinstance(value, int | float) and name in ("throughput_mbps", "speed_mbps"):
        return f"{value:.0f} MB/s"
    if isinstance(value, int | float) and name.endswith("_s"):
        return f"{value:.1f} s"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


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

    shown = frame.drop(columns=list(hide), errors="ignore").head(MAX_ROWS)
    statuses = [str(value) for value in shown[column]] if column in shown else [""] * len(shown)
    readable = shown.copy()
    for name in readable.columns:
        if name == "size" or "bytes" in str(name) or str(name).endswith(("_s", "_mbps")):
            readable[name] = [shown_value(str(name), value) for value in shown[name]]
    headings = [label(str(name)) for name in readable.columns]
    readable.columns = [heading if headings.count(heading) == 1 else str(name).replace("_", " ")
                        for heading, name in zip(headings, readable.columns, strict=True)]
    readable.index = range(len(readable))

    def colour(row: pd.Series) -> list[str]:
        css = colours.get(statuses[cast(int, row.name)], "")
        return [css] * len(row)

    styler = readable.style.apply(colour, axis=1).hide(axis="index").format(escape="html")
    styler = styler.set_table_attributes('class="wb-table" style="font-size:12px"')
    more = len(frame) - len(shown)
    tail = f"<p>… and {more} more rows.</p>" if more > 0 else ""
    return f'<div style="max-height:360px;overflow:auto">{styler.to_html()}</div>{tail}'


def summary_html(summary: Mapping[str, Any]) -> str:
    """A report's `.summary()` as one line: `label value · label value`, values as
    `shown_value` shows them."""
    return '<div class="wb-summary">' + " · ".join(
        f"{html.escape(label(str(key)))} <b>{html.escape(shown_value(str(key), value))}</b>"
        for key, value in summary.items()
    ) + "</div>"

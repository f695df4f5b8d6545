"""DataFrames as HTML tables for widgets, each row coloured by its status."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 200
"""Rows rendered in a table; counts shown beside it always cover the whole frame."""


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


def summary_html(summary: Mapping[str, Any]) -> str:
    """A report's `.summary()` as one line: `key value · key value`, numbers made readable."""
    return '<div class="wb-summary">' + " · ".join(
        f"{html.escape(str(key).replace('_', ' '))} <b>{html.escape(_plain(value))}</b>"
        for key, value in summary.items()
    ) + "</div>"


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)

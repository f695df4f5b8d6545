"""Reusable ipywidgets pieces the panels are built from: messages and text fields, status
tables, progress from a worker thread, the printable page in an iframe, a folder browser and
the path fields it fills."""

from workbench.ui.controls.common import (
    Kind,
    describe,
    error_label,
    lines,
    message_html,
    picture,
    reports_errors,
    show_picture,
    text_area,
    text_field,
)
from workbench.ui.controls.folder_browser import FolderBrowser, Pick
from workbench.ui.controls.hash_choice import HashChoice
from workbench.ui.controls.job_panel import JobPanel
from workbench.ui.controls.page import iframe_html, printable
from workbench.ui.controls.path_field import BrowseRow, PathKind
from workbench.ui.controls.progress import bar_relay, set_traits
from workbench.ui.controls.tables import MAX_ROWS, styled_table, summary_html

__all__ = [
    "MAX_ROWS",
    "BrowseRow",
    "FolderBrowser",
    "HashChoice",
    "JobPanel",
    "Kind",
    "PathKind",
    "Pick",
    "bar_relay",
    "describe",
    "error_label",
    "iframe_html",
    "lines",
    "message_html",
    "picture",
    "printable",
    "reports_errors",
    "set_traits",
    "show_picture",
    "styled_table",
    "summary_html",
    "text_area",
    "text_field",
]

"""Every path field has Browse: the folder browser under it (with New folder) fills it, so no
path is typed; the Footage tab shows no empty (broken) picture before a first analysis."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest

from workbench.ui import AuditPanel, BatchPanel, ExportPanel, FootagePanel
from workbench.ui.controls import BrowseRow, FolderBrowser, folder_browser, text_field


@pytest.fixture(autouse=True)
def no_drives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder_browser, "list_volumes", list)


def rows_of(widget: widgets.Widget) -> list[BrowseRow]:
    """Every `BrowseRow` inside `widget`."""
    if isinstance(widget, BrowseRow):
        return [widget]
    return [row for child in getattr(widget, "children", ()) for row in rows_of(child)]


def test_browse_opens_at_the_field_and_a_chosen_folder_fills_it(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    field = text_field(value=str(tmp_path))
    row = BrowseRow(field)
    assert row.holder.children == () and row.browser is None  # nothing listed before Browse
    row.browse_button.value = True
    browser = row.browser
    assert isinstance(browser, FolderBrowser) and row.holder.children == (browser,)
    assert browser.path == tmp_path and list(browser.buttons) == ["folder"]
    browser.entries.value = "cases"
    browser.buttons["folder"].click()
    assert field.value == str(tmp_path / "cases")
    assert row.browse_button.value is False and row.holder.children == ()


def test_a_file_field_takes_only_a_file(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_text("occurrence,sources\n", encoding="utf-8")
    field = text_field(value=str(tmp_path / "cases.csv"))
    row = BrowseRow(field, "file")
    row.browse_button.value = True
    assert row.browser is not None and row.browser.path == tmp_path
    field.value = ""
    row.browser.buttons["file"].click()  # no file chosen yet: the field stays empty
    assert field.value == "" and "Choose a file" in row.browser.message.value
    row.browser.entries.value = "cases.csv"
    row.browser.buttons["file"].click()
    assert field.value == str(tmp_path / "cases.csv")


def test_new_folder_makes_and_opens_it_never_over_anything(tmp_path: Path) -> None:
    browser = FolderBrowser(picks=("folder",), start=tmp_path)
    browser.new_name.value = "exports 2026"
    browser.new_folder_button.click()
    assert (tmp_path / "exports 2026").is_dir() and browser.path == tmp_path / "exports 2026"
    assert browser.new_name.value == ""
    browser.open_folder(tmp_path)
    (tmp_path / "taken").write_text("evidence", encoding="utf-8")
    for name, why in (("taken", "Cannot make"), ("a/b", "cannot be a folder name"),
                      ("", "cannot be a folder name")):
        browser.new_name.value = name
        browser.new_folder_button.click()
        assert why in browser.message.value, name
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "evidence"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports 2026", "taken"]


@pytest.mark.parametrize(("panel", "fields"), [
    (FootagePanel, ["folder"]),
    (AuditPanel, ["folder", "record", "other"]),
    (ExportPanel, ["case_dir", "out_dir"]),
    (BatchPanel, ["path"]),
])
def test_every_path_field_has_browse(panel: type[widgets.Widget], fields: list[str]) -> None:
    made = panel()
    rows = rows_of(made)
    assert [row.field for row in rows] == [getattr(made, name) for name in fields]


def test_the_footage_tab_shows_no_picture_before_an_analysis() -> None:
    panel = FootagePanel()
    for image in (panel.timeline, panel.contact_sheet, panel.derived.preview):
        assert image.value == b"" and image.layout.display == "none"

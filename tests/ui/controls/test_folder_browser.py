"""FolderBrowser headless: drives first (removable marked), folders, breadcrumbs, picking;
and the Copy tab picking a source, a destination and a working copy with it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from workbench.cases import CaseData
from workbench.evidence import Volume
from workbench.templates.types import Template
from workbench.ui import CopyPanel
from workbench.ui.controls import FolderBrowser, folder_browser


@pytest.fixture
def drives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two volumes as `list_volumes` gives them: a removable read-only stick, then a disk."""
    stick, disk = tmp_path / "media" / "DVR_STICK", tmp_path / "disk"
    stick.mkdir(parents=True)
    disk.mkdir()
    found = [
        Volume(mount_point=stick, file_system="exfat", read_only=True, removable=True,
               label="DVR EXPORT", uuid="1A2B-3C4D", total_bytes=64_000_000_000),
        Volume(mount_point=disk, file_system="ext4", read_only=False, removable=False,
               total_bytes=500_000_000_000),
    ]
    monkeypatch.setattr(folder_browser, "list_volumes", lambda: found)
    return stick, disk


class Picks(list[tuple[str, Path]]):
    def __call__(self, kind: str, path: Path) -> None:
        self.append((kind, path))


def options(browser: FolderBrowser) -> list[str]:
    return [label for label, _ in browser.entries.options]


def choose(browser: FolderBrowser, name: str) -> None:
    browser.entries.value = name


def click_volume(browser: FolderBrowser, text: str) -> None:
    [button] = [b for b in browser.volume_buttons.children if text in b.description]
    button.click()


def test_drives_come_first_removable_marked_then_home(drives: tuple[Path, Path]) -> None:
    stick, disk = drives
    browser = FolderBrowser()
    buttons = browser.volume_buttons.children
    assert [b.description for b in buttons] == [
        f"⏏ {stick} · DVR EXPORT · 64.0 GB · read-only", f"{disk} · 500.0 GB", "Home"]
    assert [b.icon for b in buttons] == ["usb", "hdd-o", "home"]
    assert "wb-removable" in buttons[0]._dom_classes
    assert "wb-removable" not in buttons[1]._dom_classes
    assert buttons[0].tooltip == f"{stick} (exfat, label DVR EXPORT, UUID 1A2B-3C4D, " \
        "64,000,000,000 bytes, removable, read-only)"
    assert browser.path is None and options(browser) == []
    assert "Choose a drive" in browser.message.value
    assert repr(browser) == "<FolderBrowser: drives>"


def test_reload_lists_a_drive_plugged_in_later(drives: tuple[Path, Path],
                                               monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    browser = FolderBrowser()
    monkeypatch.setattr(folder_browser, "list_volumes",
                        lambda: [Volume(mount_point=tmp_path / "new", removable=True)])
    browser.reload_button.click()
    assert [b.description for b in browser.volume_buttons.children] == [
        f"⏏ {tmp_path / 'new'}", "Home"]


def test_a_drive_opens_folders_first_then_files_hidden_left_out(
        drives: tuple[Path, Path]) -> None:
    stick, _ = drives
    (stick / "ch02").mkdir()
    (stick / "Ch01").mkdir()
    (stick / ".Spotlight-V100").mkdir()
    (stick / "player.exe").write_bytes(b"x" * 1500)
    (stick / "README.txt").write_bytes(b"hi")
    browser = FolderBrowser()
    click_volume(browser, "DVR EXPORT")
    assert browser.path == stick
    assert options(browser) == [
        "↑ ..", "Ch01/", "ch02/", "player.exe  · 1.5 kB", "README.txt  · 2 B"]
    assert [b.description for b in browser.crumbs.children] == list(stick.parts)
    assert "4 entries" in browser.message.value


def test_choosing_a_folder_opens_it_and_crumbs_and_up_go_back(tmp_path: Path) -> None:
    (tmp_path / "usb" / "DVR_EXPORT" / "ch01").mkdir(parents=True)
    browser = FolderBrowser(start=tmp_path)
    choose(browser, "usb")
    choose(browser, "DVR_EXPORT")
    assert browser.path == tmp_path / "usb" / "DVR_EXPORT"
    assert browser.entries.value is None, "a new folder starts with nothing chosen"
    choose(browser, "..")
    assert browser.path == tmp_path / "usb"
    [crumb] = [b for b in browser.crumbs.children if b.tooltip == str(tmp_path)]
    crumb.click()
    assert browser.path == tmp_path
    browser.crumbs.children[0].click()
    assert browser.path == Path(tmp_path.anchor)
    assert "↑ .." not in options(browser), "the root has no parent"


def test_add_as_source_hands_on_the_folder_or_the_chosen_file(tmp_path: Path) -> None:
    export = tmp_path / "DVR_EXPORT"
    export.mkdir()
    (export / "ch01.dav").write_bytes(b"clip")
    picks = Picks()
    browser = FolderBrowser(on_pick=picks, start=export)
    browser.buttons["source"].click()
    choose(browser, "ch01.dav")
    assert browser.selected == export / "ch01.dav" and browser.target == export / "ch01.dav"
    browser.buttons["source"].click()
    browser.buttons["destination"].click()  # a destination is a folder, never the file
    browser.buttons["working"].click()
    assert picks == [("source", export), ("source", export / "ch01.dav"),
                     ("destination", export), ("working", export)]
    assert "Added as working copy" in browser.message.value


def test_picking_before_opening_a_folder_asks_for_one(drives: tuple[Path, Path]) -> None:
    picks = Picks()
    browser = FolderBrowser(on_pick=picks)
    browser.buttons["source"].click()
    assert picks == [] and "Open a folder first" in browser.message.value


def test_a_folder_that_cannot_be_opened_is_a_message(tmp_path: Path) -> None:
    browser = FolderBrowser(start=tmp_path)
    browser.open_folder(tmp_path / "unplugged")
    assert browser.path == tmp_path
    assert "Cannot open" in browser.message.value and "wb-error" in browser.message.value


def test_a_huge_folder_lists_the_first_entries_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(5):
        (tmp_path / f"clip{number}.dav").touch()
    monkeypatch.setattr(folder_browser, "MAX_ENTRIES", 3)
    browser = FolderBrowser(start=tmp_path)
    assert len(options(browser)) == 1 + 3
    assert "first 3 of 5 entries" in browser.message.value


@pytest.mark.skipif(os.name != "posix", reason="POSIX names are bytes")
def test_an_undecodable_name_is_shown_and_not_put_in_a_text_field(tmp_path: Path) -> None:
    name = os.fsdecode(b"cam\xff.dav")
    (tmp_path / name).write_bytes(b"clip")
    picks = Picks()
    browser = FolderBrowser(on_pick=picks, start=tmp_path)
    assert "cam\\xff.dav  · 4 B" in options(browser)
    choose(browser, name)
    browser.buttons["source"].click()
    assert picks == [] and "cannot hold" in browser.message.value
    browser.message.value.encode("utf-8")  # the front end can be sent every label


def test_the_copy_tab_picks_source_destination_and_working_copy(
        case: CaseData, template: Template, export: Path, tmp_path: Path) -> None:
    panel = CopyPanel(case=case, template=template)
    browse = panel.children[0]
    assert isinstance(browse, widgets.Accordion) and browse.children == (panel.browser,)
    panel.browser.open_folder(export)
    panel.browser.buttons["source"].click()
    panel.browser.buttons["source"].click()  # twice: listed once
    assert panel.sources.value == str(export)
    assert "Advisory:" in panel.volumes.value and "write blocker" in panel.volumes.value
    (tmp_path / "cases").mkdir()
    (tmp_path / "working").mkdir()
    panel.browser.open_folder(tmp_path)
    choose(panel.browser, "cases")
    panel.browser.buttons["destination"].click()
    panel.browser.open_folder(tmp_path / "working")
    panel.browser.buttons["working"].click()
    assert panel.destination.value == str(tmp_path / "cases")
    assert panel.also_to.value == str(tmp_path / "working")
    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=60)
    assert report is not None and report.outcome == "completed"
    assert report.plan.source_volumes[0].source == export


def test_the_copy_tab_shows_a_read_only_source_without_advice(
        case: CaseData, template: Template, tmpfs: Any) -> None:
    stick = tmpfs.mount("stick", "ro")
    panel = CopyPanel(case=case, template=template)
    panel.browser.open_folder(stick)
    panel.browser.buttons["source"].click()
    assert "read-only" in panel.volumes.value and "tmpfs" in panel.volumes.value
    assert "Advisory" not in panel.volumes.value


def test_a_missing_source_typed_in_shows_no_volume(case: CaseData, template: Template,
                                                   tmp_path: Path) -> None:
    panel = CopyPanel(case=case, template=template)
    panel.sources.value = str(tmp_path / "unplugged")
    assert panel.volumes.value == ""

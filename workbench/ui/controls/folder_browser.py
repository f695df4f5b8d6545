"""`FolderBrowser`: pick sources and destinations from the kernel machine's drives and folders.

Mounted volumes come first (removable drives marked ⏏ with a USB icon, read-only ones
say so), then the folders (`name/`) and files of the open folder, with breadcrumbs above.
Marks are characters DejaVu Sans has: a Linux desktop may have no emoji font. Choosing a folder
in the list opens it; choosing a file selects it. The buttons hand the selected file, or
else the open folder, to `on_pick` with what it is for (`source`, `destination`, `working`).

It lists names only (one `scandir` of the open folder) and reads nothing inside files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import ipywidgets as widgets
from pathvalidate import ValidationError, validate_filename

from workbench.errors import WorkbenchError
from workbench.evidence import Volume, human_size, list_volumes, shown
from workbench.ui.controls.common import describe, message_html

Pick = Literal["source", "destination", "working", "folder", "file"]
"""What a picked path is for: the Copy tab's three, or one path field's folder or file."""
COPY_PICKS: tuple[Pick, ...] = ("source", "destination", "working")
"""The Copy tab's buttons."""
_BUTTONS: dict[Pick, tuple[str, str, str]] = {
    "source": ("Add as source", "plus", "Added as source"),
    "destination": ("Set as destination", "folder-open", "Set as destination"),
    "working": ("Add as working copy", "copy", "Added as working copy"),
    "folder": ("Use this folder", "check", "Chosen"),
    "file": ("Use this file", "check", "Chosen"),
}
"""Each pick's button text, icon, and what the message says once it is done."""
MAX_ENTRIES = 2000
"""Entries listed for one folder; the message says how many more there are."""
UP = ".."
"""The list entry that opens the parent folder."""
_AUTO = {"width": "auto"}


def volume_label(volume: Volume) -> str:
    """A volume's button text: ⏏ if removable, mount point, label, size, `read-only`."""
    parts = [str(volume.mount_point)]
    if volume.label and volume.label != volume.mount_point.name:
        parts.append(volume.label)
    if volume.total_bytes:
        parts.append(human_size(volume.total_bytes))
    if volume.read_only:
        parts.append("read-only")
    return ("⏏ " if volume.removable else "") + " · ".join(shown(part) for part in parts)


class FolderBrowser(widgets.VBox):
    """Drives first, then folders; Add as source / Set as destination / Add as working copy.

    `.path` is the open folder (None until one is opened), `.selected` the file chosen in
    it (None: the folder itself is the target), `.target` what the buttons hand on.
    """

    def __init__(self, on_pick: Callable[[Pick, Path], None] | None = None,
                 start: str | os.PathLike[str] | None = None,
                 picks: Sequence[Pick] = COPY_PICKS, **kwargs: Any) -> None:
        self.on_pick = on_pick
        self.path: Path | None = None
        self.selected: Path | None = None
        self.volume_buttons = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.reload_button = widgets.Button(icon="refresh", tooltip="List the drives again",
                                            layout=widgets.Layout(width="36px"))
        self.crumbs = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.entries = widgets.Select(options=[], rows=10, layout=widgets.Layout(width="620px"))
        self.buttons: dict[Pick, widgets.Button] = {}
        """The pick buttons shown, by what they pick."""
        for kind in picks:
            text, icon, _done = _BUTTONS[kind]
            button = widgets.Button(description=text, icon=icon, layout=_AUTO,
                                    button_style="primary" if not self.buttons else "")
            button.add_class(f"wb-browser-{kind}")
            button.on_click(lambda _button, kind=kind: self.pick(kind))
            self.buttons[kind] = button
        self.new_name = widgets.Text(placeholder="new folder name", layout={"width": "180px"})
        self.new_folder_button = widgets.Button(description="New folder", icon="folder",
                                                tooltip="Make a folder of this name in the "
                                                "open folder, and open it", layout=_AUTO)
        self.new_folder_button.add_class("wb-browser-new-folder")
        self.new_folder_button.on_click(lambda _button: self.new_folder(self.new_name.value))
        self.message = widgets.HTML()
        self.reload_button.on_click(lambda _button: self.reload())
        self.entries.observe(self._chosen, names="value")
        self.entries.add_class("wb-browser-entries")
        self.crumbs.add_class("wb-browser-crumbs")
        super().__init__(children=[
            widgets.HBox([self.volume_buttons, self.reload_button]), self.crumbs, self.entries,
            widgets.HBox([*self.buttons.values(), self.new_name, self.new_folder_button]),
            self.message,
        ], **kwargs)
        self.add_class("wb-folder-browser")
        self.reload()
        if start is not None:
            self.open_folder(start)
        else:
            self._show_entries()

    # -- drives ------------------------------------------------------------------------

    def reload(self) -> None:
        """List the mounted volumes again (a drive was plugged in or out), and Home."""
        try:
            found = list_volumes()
        except (OSError, WorkbenchError) as exc:
            self._say(describe(exc), "error")
            found = []
        self.volumes = found
        buttons = [
            self._place_button(volume_label(v), "usb" if v.removable else "hdd-o", v.mount_point,
                               shown(v.summary()), "wb-browser-volume",
                               *(["wb-removable"] if v.removable else []))
            for v in found
        ]
        home = Path.home()
        buttons.append(self._place_button("Home", "home", home, shown(str(home)),
                                          "wb-browser-home"))
        self.volume_buttons.children = buttons

    def _place_button(self, text: str, icon: str, place: Path, tooltip: str, *classes: str
                      ) -> widgets.Button:
        button = widgets.Button(description=text, icon=icon, tooltip=tooltip, layout=_AUTO)
        for name in classes:
            button.add_class(name)
        button.on_click(lambda _button: self.open_folder(place))
        return button

    # -- folders -----------------------------------------------------------------------

    def open_folder(self, folder: str | os.PathLike[str]) -> None:
        """Open `folder`: list it and show its breadcrumbs (a message if it cannot be read)."""
        path = Path(os.path.abspath(folder))  # noqa: PTH100 - resolve() would follow links
        try:
            listing = _listing(path)
        except OSError as exc:
            self._say(f"Cannot open {shown(str(path))}: {exc.strerror or exc}", "error")
            return
        self.path, self.selected = path, None
        self._show_entries(listing)
        self._show_crumbs(path)

    def _show_entries(self, listing: tuple[list[os.DirEntry[str]], int] | None = None) -> None:
        entries, total = listing or ([], 0)
        options: list[tuple[str, str]] = []
        if self.path is not None and self.path.parent != self.path:
            options.append(("↑ ..", UP))
        for entry in entries:
            options.append(_entry_label(entry))
        self.entries.unobserve(self._chosen, names="value")  # a new listing is no choice
        try:
            self.entries.options = options
            self.entries.index = None
        finally:
            self.entries.observe(self._chosen, names="value")
        if self.path is None:
            self._say("Choose a drive above, or paste paths into the fields below.")
        elif total > len(entries):
            self._say(f"{shown(str(self.path))}: showing the first {len(entries):,} of "
                      f"{total:,} entries; paste a path to reach the others.", "warning")
        else:
            self._say(f"{shown(str(self.path))}: {total:,} entries.")

    def _show_crumbs(self, path: Path) -> None:
        crumbs = []
        for depth, part in enumerate(path.parts, start=1):
            place = Path(*path.parts[:depth])
            button = widgets.Button(description=shown(part), tooltip=shown(str(place)),
                                    layout=_AUTO)
            button.add_class("wb-browser-crumb")
            button.on_click(lambda _button, place=place: self.open_folder(place))
            crumbs.append(button)
        self.crumbs.children = crumbs

    def _chosen(self, change: dict[str, Any]) -> None:
        name = change["new"]
        if name is None or self.path is None:
            return
        if name == UP:
            self.open_folder(self.path.parent)
            return
        chosen = self.path / name
        if chosen.is_dir():
            self.open_folder(chosen)
        else:
            self.selected = chosen
            self._say(f"Selected the file {shown(str(chosen))}.")

    def new_folder(self, name: str) -> None:
        """Make the folder `name` in the open folder (never over anything there) and open
        it; a message says why not (no open folder, a name no file system takes, ...)."""
        name = name.strip()
        if self.path is None:
            self._say("Open a folder first.", "warning")
            return
        try:
            validate_filename(name, platform="universal")
        except ValidationError as exc:
            self._say(f"{shown(name) or 'An empty name'} cannot be a folder name: "
                      f"{exc.reason.description}.", "error")
            return
        try:
            (self.path / name).mkdir()
        except OSError as exc:
            self._say(f"Cannot make {shown(name)}: {exc.strerror or exc}", "error")
            return
        self.new_name.value = ""
        self.open_folder(self.path / name)

    # -- picking -----------------------------------------------------------------------

    @property
    def target(self) -> Path | None:
        """What the buttons hand on: the selected file, else the open folder."""
        return self.selected or self.path

    def pick(self, kind: Pick) -> None:
        """Hand `.target` to `on_pick` as a `kind` (a destination must be a folder)."""
        target = self.target if kind in ("source", "file") else self.path
        if kind == "file" and self.selected is None:
            self._say("Choose a file in the list first.", "warning")
            return
        if target is None:
            self._say("Open a folder first.", "warning")
            return
        if shown(str(target)) != str(target):
            self._say(f"{shown(str(target))} has characters a text field cannot hold; "
                      "rename it or pick its folder.", "error")
            return
        if self.on_pick is not None:
            self.on_pick(kind, target)
        self._say(f"{_BUTTONS[kind][2]}: {target}", "ok")

    def _say(self, text: str, kind: Literal["info", "ok", "warning", "error"] = "info") -> None:
        self.message.value = message_html(text, kind)

    def __repr__(self) -> str:
        return f"<FolderBrowser: {self.path or 'drives'}>"


def _listing(folder: Path) -> tuple[list[os.DirEntry[str]], int]:
    """The first `MAX_ENTRIES` visible entries of `folder` (folders first, by name) and how
    many there are. Raises OSError."""
    with os.scandir(folder) as found:
        entries = [entry for entry in found if not entry.name.startswith(".")]
    entries.sort(key=lambda entry: (not _is_folder(entry), entry.name.casefold()))
    return entries[:MAX_ENTRIES], len(entries)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _entry_label(entry: os.DirEntry[str]) -> tuple[str, str]:
    if _is_folder(entry):
        return f"{shown(entry.name)}/", entry.name
    try:
        size = f"  · {human_size(entry.stat().st_size)}"
    except OSError:
        size = ""
    return f"{shown(entry.name)}{size}", entry.name

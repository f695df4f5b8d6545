"""Template files: round trip, atomic writes, damaged files, bundled templates and seeding."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workbench.errors import CorruptFile, TemplateError
from workbench.templates import Template, TemplateLevel
from workbench.templates.storage import (
    bundled_templates_dir,
    delete_template_file,
    ensure_seeded,
    read_template,
    scan_directory,
    template_path,
    write_template,
)

TEMPLATE = Template(
    id="agency", name="Agency", description="Für die Akte",
    levels=[
        TemplateLevel(pattern="{occurrence}"), TemplateLevel(pattern="{business}", fallback=""),
    ],
)


def test_round_trip(tmp_path: Path) -> None:
    path = write_template(tmp_path, TEMPLATE)
    assert path == tmp_path / "agency.json"
    assert read_template(path) == TEMPLATE


def test_file_is_pretty_sorted_json_with_trailing_newline(tmp_path: Path) -> None:
    text = write_template(tmp_path, TEMPLATE).read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\n  " in text and "Für" in text
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_no_temp_files_are_left(tmp_path: Path) -> None:
    write_template(tmp_path, TEMPLATE)
    write_template(tmp_path, TEMPLATE.model_copy(update={"name": "Again"}))
    assert [p.name for p in tmp_path.iterdir()] == ["agency.json"]


@pytest.mark.parametrize("crash_in", ["replace", "fsync"])
def test_crash_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_in: str
) -> None:
    path = write_template(tmp_path, TEMPLATE)
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, crash_in, crash)
    with pytest.raises(TemplateError) as info:
        write_template(tmp_path, TEMPLATE.model_copy(update={"name": "New"}))
    monkeypatch.undo()
    assert info.value.type == "IoError" and str(path) in str(info.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["agency.json"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid UTF-8 JSON"),
        (b"\xff\xfe", "not valid UTF-8 JSON"),
        (b'{"id": "broken", "name": "B", "levels": [], "colour": 1}', "not a template"),
        (b'{"id": "broken", "name": "B", "levels": [{"pattern": "{colour}"}]}', "invalid"),
        (b'{"id": "other", "name": "B", "levels": [{"pattern": "x"}]}', "does not match"),
    ],
)
def test_damaged_file_is_a_typed_error_naming_it(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(TemplateError) as info:
        read_template(path)
    payload = info.value.payload
    assert isinstance(payload, CorruptFile) and payload.path == str(path)
    assert words in payload.detail and str(path) in str(info.value)


def test_scan_lists_healthy_templates_and_reports_damaged_ones(tmp_path: Path) -> None:
    write_template(tmp_path, TEMPLATE)
    write_template(tmp_path, TEMPLATE.model_copy(update={"id": "basic"}))
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a template", encoding="utf-8")
    (tmp_path / ".agency.json.x1.tmp").write_text("{", encoding="utf-8")
    scan = scan_directory(tmp_path)
    assert [t.id for t in scan.templates] == ["agency", "basic"]
    (problem,) = scan.problems
    assert isinstance(problem, CorruptFile) and problem.path.endswith("broken.json")


def test_scan_of_missing_folder_is_typed(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        scan_directory(tmp_path / "absent")
    assert info.value.type == "PathNotFound"


def test_delete(tmp_path: Path) -> None:
    write_template(tmp_path, TEMPLATE)
    delete_template_file(tmp_path, "agency")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(TemplateError) as info:
        delete_template_file(tmp_path, "agency")
    assert info.value.type == "NotFound" and str(tmp_path) in str(info.value)


@pytest.mark.parametrize("template_id", ["../preferences", "a/b", "", "UPPER"])
def test_ids_that_are_not_slugs_never_become_paths(tmp_path: Path, template_id: str) -> None:
    with pytest.raises(TemplateError) as info:
        template_path(tmp_path, template_id)
    assert info.value.type == "NotFound"


def test_bundled_templates_are_found_and_valid() -> None:
    folder = bundled_templates_dir()
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))
    assert {"default.json", "agency-military.json", "flat.json", "by-date.json"} <= set(names)
    for name in names:
        template = read_template(Path(str(folder / name)))
        assert template.description


def test_seeding_copies_the_bundled_templates_once(tmp_path: Path) -> None:
    target = tmp_path / "home" / "templates"
    assert ensure_seeded(target) == target
    seeded = sorted(p.name for p in target.iterdir())
    assert "default.json" in seeded
    assert [p.name for p in target.parent.iterdir()] == ["templates"]  # no staging left
    (target / "default.json").unlink()
    ensure_seeded(target)
    assert "default.json" not in {p.name for p in target.iterdir()}  # the user's choice stays


def test_seeding_keeps_a_folder_made_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "templates"
    rename = Path.rename

    def racing_rename(self: Path, to: Path) -> Path:
        Path(to).mkdir()
        (Path(to) / "theirs.json").write_text("{}", encoding="utf-8")
        return rename(self, to)

    monkeypatch.setattr(Path, "rename", racing_rename)
    ensure_seeded(target)
    assert [p.name for p in tmp_path.iterdir()] == ["templates"]
    assert [p.name for p in target.iterdir()] == ["theirs.json"]


def test_packaged_templates_win_over_the_repository_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bundled_templates").mkdir()
    monkeypatch.setattr("workbench.templates.storage.files", lambda package: tmp_path)
    assert Path(str(bundled_templates_dir())) == tmp_path / "bundled_templates"


def test_failed_seed_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("workbench.templates.storage.write_atomic", full)
    with pytest.raises(TemplateError) as info:
        ensure_seeded(tmp_path / "templates")
    assert info.value.type == "DiskFull"
    assert list(tmp_path.iterdir()) == []

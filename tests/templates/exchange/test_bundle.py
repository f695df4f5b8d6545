"""Exporting templates to one file and importing them back: conflicts, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.atomic import write_temp
from workbench.errors import Conflict, CorruptFile, NotFound, TemplateError
from workbench.events import TEMPLATE_SAVED, subscribe
from workbench.templates import Template, TemplateLevel, get_template, list_templates
from workbench.templates.exchange import bundle, export_templates, import_templates


def mine(template_id: str = "mine", name: str = "Mine") -> Template:
    return Template(id=template_id, name=name, levels=[TemplateLevel(pattern="{occurrence}")],
                    archive_name=TemplateLevel(pattern="{occurrence}_x.zip"))


def ids_in(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.json")}


def test_a_round_trip_to_another_workbench(tmp_path: Path) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    source.mkdir()
    (source / "mine.json").write_bytes(bundle.template_bytes(mine()))
    (source / "flat.json").write_bytes(bundle.template_bytes(mine("flat", "Flat")))
    exported = export_templates(["mine", "flat"], tmp_path / "out.json", directory=source)
    document = json.loads(exported.read_text())
    assert document["format"] == "case-workbench-templates" and document["version"] == 1
    report = import_templates(exported, directory=target)
    assert report.format == "workbench" and report.ids("imported") == ["mine", "flat"]
    assert get_template("mine", target) == mine()
    assert list(report.to_frame()["action"]) == ["imported", "imported"]


def test_export_refuses_to_overwrite_and_names_a_missing_template(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    export_templates(["default"], out)
    with pytest.raises(TemplateError) as caught:
        export_templates(["default"], out)
    assert isinstance(caught.value.payload, Conflict)
    export_templates("flat", out, overwrite=True)
    assert [t["id"] for t in json.loads(out.read_text())["templates"]] == ["flat"]
    with pytest.raises(TemplateError) as missing:
        export_templates(["no-such"], tmp_path / "other.json")
    assert isinstance(missing.value.payload, NotFound)
    assert not (tmp_path / "other.json").exists()


@pytest.fixture
def taken(tmp_path: Path) -> tuple[Path, Path]:
    """A templates folder holding `mine`, and an export file with a different `mine`."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mine.json").write_bytes(bundle.template_bytes(mine()))
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.json").write_bytes(bundle.template_bytes(mine(name="Theirs")))
    (other / "new.json").write_bytes(bundle.template_bytes(mine("new", "New")))
    return folder, export_templates(["mine", "new"], tmp_path / "theirs.json", directory=other)


def test_skip_keeps_the_existing_template(taken: tuple[Path, Path]) -> None:
    folder, file = taken
    report = import_templates(file, "skip", folder)
    assert [(t.id, t.action) for t in report.templates] == [("mine", "skipped"),
                                                            ("new", "imported")]
    assert get_template("mine", folder).name == "Mine"


def test_rename_stores_the_incoming_one_under_a_free_id(taken: tuple[Path, Path]) -> None:
    folder, file = taken
    (folder / "mine-2.json").write_bytes(bundle.template_bytes(mine("mine-2")))
    report = import_templates(file, "rename", folder)
    assert [(t.source_id, t.id, t.action) for t in report.templates] == [
        ("mine", "mine-3", "renamed"), ("new", "new", "imported")]
    assert get_template("mine-3", folder).name == "Theirs"
    assert get_template("mine", folder).name == "Mine"


def test_replace_overwrites_and_announces_each_template(taken: tuple[Path, Path]) -> None:
    folder, file = taken
    saved: list[str] = []
    unsubscribe = subscribe(TEMPLATE_SAVED, lambda template: saved.append(template.id))
    try:
        report = import_templates(file, "replace", folder)
    finally:
        unsubscribe()
    assert report.ids("replaced") == ["mine"] and saved == ["mine", "new"]
    assert get_template("mine", folder).name == "Theirs"


@pytest.mark.parametrize(("content", "detail"), [
    (b"\xff\xfe not json", "not valid UTF-8 JSON"),
    (b'{"format": "case-workbench-templates", "version": 1, "templates": [{"id": "a"}]}',
     "not a template"),
    (b'{"format": "case-workbench-templates", "version": 2, "templates": []}', "version 2"),
    (b'{"format": "case-workbench-templates", "version": 1, "templates": {}}', "must be a list"),
    (b'{"a": 1, "a": 2}', "appears twice"),
    (b"[1, 2, 3]", "not a template file"),
    (b'{"id": "x", "name": "X", "levels": [{"pattern": "{nope}"}]}', "not a case field"),
    (b'{"format": "case-workbench-templates", "version": 1, "templates": ['
     b'{"id": "a", "name": "A", "levels": [{"pattern": "x"}]},'
     b'{"id": "a", "name": "B", "levels": [{"pattern": "y"}]}]}', "appears twice"),
    (b"[" * 100_000, "not valid UTF-8 JSON"),
])
def test_a_malformed_file_is_a_typed_error_and_imports_nothing(
    tmp_path: Path, content: bytes, detail: str
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        import_templates(file, "replace", folder)
    assert isinstance(caught.value.payload, CorruptFile)
    assert detail in caught.value.payload.detail
    assert ids_in(folder) == set()


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    file = tmp_path / "huge.json"
    with file.open("wb") as handle:
        handle.truncate(bundle.MAX_FILE_BYTES + 1)
    with pytest.raises(TemplateError, match="larger than"):
        import_templates(file, directory=tmp_path / "templates")


def test_a_failed_write_puts_everything_back(
    taken: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the second template is staged: nothing changes."""
    folder, file = taken
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    calls = []

    def failing(path: Path, data: bytes, mode: int) -> Path:
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        return write_temp(path, data, mode)

    monkeypatch.setattr(bundle, "write_temp", failing)
    with pytest.raises(TemplateError) as caught:
        import_templates(file, "replace", folder)
    assert caught.value.payload.type == "DiskFull"
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_a_single_template_file_imports_too(tmp_path: Path) -> None:
    file = tmp_path / "one.json"
    file.write_bytes(bundle.template_bytes(mine("solo")))
    report = import_templates(file)
    assert report.ids("imported") == ["solo"]
    assert "solo" in {template.id for template in list_templates()}


def test_an_unknown_conflict_choice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="on_conflict"):
        import_templates(tmp_path / "x.json", "merge")  # type: ignore[arg-type]

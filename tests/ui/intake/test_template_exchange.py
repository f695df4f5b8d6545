"""TemplateEditor: the archive name, and Import / Export of template files."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.cases import CaseData
from workbench.templates.commands import get_template
from workbench.templates.types import Template, TemplateLevel
from workbench.ui import TemplateEditor

DESKTOP_FILE = Path(__file__).parents[2] / "templates" / "exchange" / "folder_templates.json"


def test_the_archive_name_is_edited_checked_and_previewed(template: Template,
                                                           case: CaseData) -> None:
    editor = TemplateEditor(value=template, case=case)
    assert "ZIP export: <code>2026-004512_evidence.zip</code>" in editor.preview.value
    editor.archive_pattern.value = "{occurrence} {nope}"
    assert "not a case field" in editor.archive_error.value and editor.save_button.disabled
    editor.archive_pattern.value = "{occurrence} {business} Video"
    editor.archive_fallback.value = "{occurrence}"
    assert editor.value.archive_name == TemplateLevel(pattern="{occurrence} {business} Video",
                                                      fallback="{occurrence}")
    assert "2026-004512 Corner Store Video.zip" in editor.preview.value
    editor.save_button.click()
    assert get_template("by-occurrence").archive_name == editor.value.archive_name
    editor.value = template
    assert editor.archive_pattern.value == "" and editor.value.archive_name is None


def test_importing_the_desktop_app_file_reports_what_was_left_out(case: CaseData) -> None:
    editor = TemplateEditor(case=case)
    editor.exchange_path.value = str(DESKTOP_FILE)
    editor.import_button.click()
    assert editor.imported is not None and editor.imported.format == "desktop-app"
    assert "4 imported" in editor.message.value
    assert "documentsPlacement" in editor.message.value
    assert editor.value.id == "default_forensic"
    assert "default_forensic" in [option[1] for option in editor.choose.options]
    assert "Corner Store @ 123 Main St/20NOV26_1400_to_20NOV26_1530_DVR_Time" in \
        editor.preview.value
    editor.on_conflict.value = "rename"
    editor.import_button.click()
    assert "4 renamed" in editor.message.value
    assert get_template("default_forensic-2").name == "Default Forensic Structure"


def test_export_writes_the_saved_template_and_refuses_to_overwrite(
    template: Template, tmp_path: Path
) -> None:
    editor = TemplateEditor(value=template)
    editor.save_button.click()
    editor.exchange_path.value = str(tmp_path / "mine.json")
    editor.export_button.click()
    assert "Exported" in editor.message.value
    exported = json.loads((tmp_path / "mine.json").read_text())
    assert [t["id"] for t in exported["templates"]] == ["by-occurrence"]
    editor.export_button.click()
    assert "already exists" in editor.message.value


def test_a_broken_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    editor = TemplateEditor()
    (tmp_path / "bad.json").write_text("{not json")
    editor.exchange_path.value = str(tmp_path / "bad.json")
    editor.import_button.click()
    assert "is damaged and was not used" in editor.message.value
    assert "Traceback" not in editor.message.value
    editor.exchange_path.value = ""
    editor.import_button.click()
    assert "Give the file" in editor.message.value

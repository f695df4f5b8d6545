"""TemplateEditor: save/delete round-trip, per-level errors, reordering, live preview."""

from __future__ import annotations

from pathlib import Path

from workbench.cases import CaseData
from workbench.templates.commands import get_template, list_templates
from workbench.templates.types import Template, TemplateLevel
from workbench.ui import TemplateEditor


def test_save_then_delete_round_trip(template: Template) -> None:
    editor = TemplateEditor(value=template)
    editor.name.value = "Occurrence then business"
    editor.save_button.click()
    assert "Saved" in editor.message.value
    assert get_template("by-occurrence").name == "Occurrence then business"
    assert "by-occurrence" in [option[1] for option in editor.choose.options]

    editor.delete_button.click()
    assert editor.confirm_box.layout.display is None
    assert any(t.id == "by-occurrence" for t in list_templates())
    editor.confirm_delete_button.click()
    assert all(t.id != "by-occurrence" for t in list_templates())
    assert "by-occurrence" not in [option[1] for option in editor.choose.options]
    assert "Deleted" in editor.message.value


def test_keep_button_cancels_the_delete(template: Template) -> None:
    editor = TemplateEditor(value=template)
    editor.save_button.click()
    editor.delete_button.click()
    editor.keep_button.click()
    assert editor.confirm_box.layout.display == "none"
    assert get_template("by-occurrence") == template


def test_choosing_a_saved_template_loads_it() -> None:
    templates = list_templates()
    assert templates, "the bundled templates are seeded on first use"
    editor = TemplateEditor()
    editor.choose.value = templates[-1].id
    assert editor.value == templates[-1]
    assert len(editor.rows) == len(templates[-1].levels)


def test_errors_show_on_the_offending_level_and_block_save(template: Template) -> None:
    editor = TemplateEditor(value=template)
    editor.rows[1].pattern.value = "{no_such_field}"
    assert "wb-error" in editor.rows[1].error.value
    assert editor.rows[0].error.value == ""
    assert editor.save_button.disabled
    editor.rows[1].pattern.value = "{location}"
    assert not editor.save_button.disabled


def test_levels_add_move_remove(template: Template) -> None:
    editor = TemplateEditor(value=template)
    editor.add_button.click()
    editor.rows[2].pattern.value = "{location}"
    editor.rows[2].up.click()
    assert [lv.pattern for lv in editor.value.levels] == ["{occurrence}", "{location}",
                                                          "{business}"]
    editor.rows[0].remove.click()
    assert [lv.pattern for lv in editor.value.levels] == ["{location}", "{business}"]
    assert editor.rows[0].up.disabled and editor.rows[-1].down.disabled


def test_a_template_without_levels_is_reported_until_one_is_added(template: Template) -> None:
    editor = TemplateEditor(value=template)
    editor.rows[1].remove.click()
    editor.rows[0].remove.click()
    assert "levels" in editor.problems.value and editor.save_button.disabled
    editor.add_button.click()
    editor.rows[0].pattern.value = "{occurrence}"
    assert editor.problems.value == "" and not editor.save_button.disabled


def test_drop_if_empty_means_an_empty_fallback(template: Template) -> None:
    editor = TemplateEditor(value=template)
    editor.rows[1].drop.value = True
    assert editor.value.levels[1] == TemplateLevel(pattern="{business}", fallback="")


def test_preview_follows_case_and_edits(case: CaseData, template: Template) -> None:
    editor = TemplateEditor(value=template)
    assert "Fill in the case" in editor.preview.value
    editor.case = case
    assert "2026-004512/Corner Store" in editor.preview.value
    editor.rows[1].pattern.value = "{location}"
    assert "2026-004512/123 Main St" in editor.preview.value


def test_missing_field_without_fallback_is_shown_on_its_level(template: Template) -> None:
    editor = TemplateEditor(value=template, case=CaseData(occurrence="X-1"))
    editor.rows[1].fallback.value = ""
    assert "business" in editor.rows[1].error.value
    assert "wb-error" in editor.preview.value


def test_new_starts_a_blank_template() -> None:
    editor = TemplateEditor()
    editor.new_button.click()
    assert editor.value.id == "new-template"
    assert [level.pattern for level in editor.value.levels] == ["{occurrence}"]
    assert editor.choose.value is None


def test_a_damaged_template_file_is_reported_and_the_others_listed(workbench_home: Path) -> None:
    healthy = TemplateEditor()
    (workbench_home / "templates" / "broken.json").write_text("{not json")
    editor = TemplateEditor()
    assert "broken.json" in editor.message.value
    assert [option[1] for option in editor.choose.options] == [
        option[1] for option in healthy.choose.options
    ]


def test_repr_is_fixed(template: Template) -> None:
    assert repr(TemplateEditor(value=template)) == "<TemplateEditor: template by-occurrence>"

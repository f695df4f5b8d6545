"""The committed `schemas/` must match the models: regenerate with `workbench schema`."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.schema import export_schemas, render, schemas

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_committed_schemas_are_up_to_date() -> None:
    expected = {name: render(doc) for name, doc in schemas().items()}
    committed = {path.name: path.read_text(encoding="utf-8") for path in SCHEMAS.glob("*.json")}
    stale = sorted(name for name in expected.keys() | committed.keys()
                   if expected.get(name) != committed.get(name))
    assert not stale, f"stale schemas {stale}: run `workbench schema` and commit schemas/"


def test_field_docstrings_become_descriptions() -> None:
    case = schemas()["CaseData.json"]
    assert case["properties"]["occurrence"]["description"].startswith("Occurrence")
    assert case["additionalProperties"] is False


def test_error_union_is_discriminated_by_type() -> None:
    union = schemas()["ErrorPayload.json"]
    mapping = union["discriminator"]["mapping"]
    assert {"NotFound", "ValidationError", "MissingField", "HashMismatch", "DiskFull",
            "Cancelled"} <= set(mapping)


def test_export_writes_and_prunes(tmp_path: Path) -> None:
    (tmp_path / "Gone.json").write_text("{}")
    written = export_schemas(tmp_path)
    assert not (tmp_path / "Gone.json").exists()
    assert {p.name for p in written} == {p.name for p in tmp_path.glob("*.json")}
    assert json.loads((tmp_path / "CaseData.json").read_text())["title"] == "CaseData"

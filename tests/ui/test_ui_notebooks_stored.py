"""The notebooks are stored executed, so nbval has outputs to compare against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_the_notebooks_are_there() -> None:
    names = {path.stem for path in NOTEBOOKS}
    assert {"quickstart", "templates", "audit", "case", "workbench", "batch", "fleet"} <= names


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_code_cell_was_executed_in_order(notebook: Path) -> None:
    cells = [cell for cell in json.loads(notebook.read_text())["cells"]
             if cell["cell_type"] == "code"]
    counts = [cell["execution_count"] for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{notebook.name}: run it top to bottom"
    assert any(cell["outputs"] for cell in cells)

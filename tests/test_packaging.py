"""Packaging: a plain (non-editable) wheel ships the bundled templates, the sample footage and
the DVR file-name patterns as package data, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_bundled_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("case_workbench-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {Path(n).name for n in names if n.startswith("workbench/bundled_templates/")}
    shipped = {p.name for p in (ROOT / "templates").glob("*.json")}
    assert shipped and bundled == shipped
    assert "workbench/cli/__init__.py" in names and "workbench/py.typed" in names
    footage = {n.removeprefix("workbench/samples/footage/") for n in names
               if n.startswith("workbench/samples/footage/")}
    committed = {p.relative_to(ROOT / "workbench" / "samples" / "footage").as_posix()
                 for p in (ROOT / "workbench" / "samples" / "footage").rglob("*") if p.is_file()}
    assert len(committed) == 7 and footage == committed
    assert "workbench/media/timing/dvr_patterns.json" in names


def test_importing_the_package_leaves_pandas_for_when_a_table_is_asked_for() -> None:
    """Headless use stays light: pandas and numpy (~50 MB) load on the first `to_frame`,
    which the memory budgets of a 200,000-file audit or a 100,000-file copy count on."""
    code = "import sys, workbench; print(sorted({'pandas', 'numpy'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", "import pandas inside the to_frame methods instead"

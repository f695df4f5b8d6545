"""notebooks/case.ipynb runs headless under papermill with a case's own parameters."""

from __future__ import annotations

import json
from pathlib import Path

import papermill  # type: ignore[import-untyped]

from workbench.evidence import verify_case
from workbench.samples import make_sample_evidence

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "case.ipynb"


def test_case_notebook_copies_the_given_sources(tmp_path: Path) -> None:
    export = make_sample_evidence(tmp_path / "usb" / "EXPORT")
    executed = tmp_path / "2026-777.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(executed), kernel_name="python3", progress_bar=False,
        parameters={
            "occurrence": "2026-777", "business": "Kiosk", "location": "Pier 3",
            "video_start": "", "video_end": "", "template": "flat",
            "sources": [str(export)], "destination": str(tmp_path / "cases"),
            "also_to": [str(tmp_path / "working")],
            "workbench_home": str(tmp_path / "home"),
        },
    )
    for root in ("cases", "working"):
        assert verify_case(tmp_path / root / "2026-777 Kiosk").ok
    text = json.dumps(json.loads(executed.read_text())["cells"])
    assert "outcome: completed" in text and "working  ok: 8 files re-checked" in text

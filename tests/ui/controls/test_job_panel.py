"""JobPanel: a job cancelled on its token returns its report, cancelled, and every panel shows
that result and says it was cancelled, as a warning, the same way."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.events import CancelToken
from workbench.ui import AuditPanel, FootagePanel
from workbench.ui.controls import job_panel
from workbench.ui.controls.job_panel import JobPanel


def cancelled_token() -> CancelToken:
    """A token cancelled before the job looks at it."""
    token = CancelToken()
    token.cancel()
    return token


def audit_panel(export: Path) -> JobPanel:
    subprocess.run("sha256sum cam1.mp4 cam2.mp4 > SHA256SUMS", shell=True, cwd=export,
                   check=True)
    panel = AuditPanel()
    panel.folder.value = str(export)
    return panel


def footage_panel(export: Path) -> JobPanel:
    panel = FootagePanel()
    panel.folder.value = str(export)
    return panel


@pytest.mark.parametrize("make", [audit_panel, footage_panel], ids=["audit", "footage"])
def test_a_cancelled_job_is_shown_and_said_cancelled(
        make: Callable[[Path], JobPanel], export: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_panel, "CancelToken", cancelled_token)
    panel = make(export)

    panel.run_button.click()
    assert panel.job is not None
    report = panel.job.result(timeout=120)

    assert report is not None and report.outcome == "cancelled"
    assert getattr(panel, "report", None) is report, "the cancelled report is shown"
    assert panel.cancelled_message(report) in panel.message.value
    assert "cancelled" in panel.message.value.lower() and "warning" in panel.message.value
    assert not panel.run_button.disabled and panel.cancel_button.disabled

"""The Workbench notebook in real JupyterLab, driven by headless Chromium through Playwright.

Fills the case form, picks the sample export with the folder browser, runs a verified copy,
analyses its footage from the Copy tab's offer, then cancels a large copy, then runs a batch
of cases and a fleet audit on a local Dask cluster started by the kernel; screenshots go to
`test-artifacts/browser/` (or `$WORKBENCH_ARTIFACTS`). Skips only when Chromium is missing.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.hashing.platform.volumes import volume_of
from workbench.samples import make_sample_evidence

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "workbench.ipynb"
TIMEOUT_MS = 60_000
KERNEL_READY = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return !!(kernel && kernel.status === "idle" && panel.content && panel.content.widgets.length);
}"""
RUN_ALL = """() => {
  window.jupyterapp.shell.collapseLeft();
  void window.jupyterapp.commands.execute("notebook:run-all-cells");
}"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(420),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path,
                  timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"JupyterLab exited with {server.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer at {url}")


@pytest.fixture
def artifacts() -> Path:
    folder = Path(os.environ.get("WORKBENCH_ARTIFACTS", REPO / "test-artifacts")) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[str]:
    """JupyterLab on 127.0.0.1 serving a copy of the notebook, isolated from the user's setup."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    config = tmp_path / "jupyter-config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
        "WORKBENCH_HOME": str(tmp_path / "workbench-home"),
    }
    port, token = free_port(), secrets.token_hex(16)
    log_path = tmp_path / "lab.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
         "--ServerApp.terminals_enabled=False", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/status?token={token}", server, log_path)
        yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    """A small fixed-bytes export, and a large sparse one that takes long enough to cancel."""
    small = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    large = tmp_path / "large-export"
    large.mkdir()
    for name in ("cam1.mp4", "cam2.mp4"):
        with (large / name).open("wb") as handle:
            handle.truncate(3 * 2**30)
    return small, large


def pick_with_the_folder_browser(page: Any, folder: Path) -> None:
    """Open `folder` in the first folder browser inside `page` (the page, or a panel): its
    drive's button, then one folder at a time."""
    from playwright.sync_api import expect

    mount = volume_of(folder).mount_point
    drive = page.locator(".wb-browser-volume").filter(has_text=str(mount)).first
    drive.click()
    crumbs = page.locator(".wb-browser-crumbs").first
    for part in folder.relative_to(mount).parts:
        page.locator(".wb-browser-entries select").first.select_option(label=f"{part}/")
        expect(crumbs.locator(".wb-browser-crumb").last).to_have_text(part)


def check_the_delivered_report(cases: Path, exports: Path) -> None:
    """The case folder's report.pdf, and the one inside the exported ZIP: the exhibit facts
    on page 1 and no heading split inside a word."""
    (case_pdf,) = cases.rglob("_evidence/report.pdf")
    (archive,) = exports.glob("*.zip")
    members = subprocess.run(["unzip", "-Z1", str(archive)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    (member,) = [name for name in members if name.endswith("/_evidence/report.pdf")]
    zipped = subprocess.run(["unzip", "-p", str(archive), member], capture_output=True,
                            check=True).stdout
    for pdf in (case_pdf.read_bytes(), zipped):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                              capture_output=True, check=True).stdout.decode()
        first = " ".join(text.split("\f")[0].split())
        assert "EX-0042" in first and "2026-004512" in first
        words = set(text.split())
        for heading in ("Manifest", "Entries", "Status", "Size", "Outcome"):
            assert heading in words, heading


def shot_from_to(page: Any, first: Any, last: Any, path: Path) -> None:
    """A screenshot of the page from the top of `first` to the bottom of `last`."""
    top, bottom = first.bounding_box(), last.bounding_box()
    left = min(top["x"], bottom["x"])
    right = max(top["x"] + top["width"], bottom["x"] + bottom["width"])
    page.screenshot(path=str(path), clip={
        "x": left - 8, "y": top["y"] - 8, "width": right - left + 16,
        "height": bottom["y"] + bottom["height"] - top["y"] + 16,
    })


def test_workbench_in_jupyterlab(lab: str, sources: tuple[Path, Path], tmp_path: Path,
                                 artifacts: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    small, large = sources
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1700})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(lab)
        page.wait_for_function(KERNEL_READY)
        page.evaluate(RUN_ALL)
        app = page.locator(".wb-workbench")
        expect(app).to_be_visible()

        page.get_by_role("tab", name="1 · Case").click()
        page.locator(".wb-case-occurrence input").fill("2026-004512")
        page.locator(".wb-case-business input").fill("Corner Store")
        page.locator(".wb-case-location input").fill("123 Main St")
        page.locator(".wb-case-technician input").fill("A. Analyst")
        page.locator(".wb-case-video-start input").fill("2026-11-20T14:00")
        page.locator(".wb-case-video-end input").fill("2026-11-20T15:30")
        page.locator(".wb-case-dvr-offset input").fill("DVR is 1h30m ahead")
        page.locator(".wb-case-dvr-offset input").press("Tab")
        app.get_by_text("Exhibit facts (optional)").click()
        page.locator(".wb-case-exhibit-number input").fill("EX-0042")
        page.locator(".wb-case-exhibit-number input").press("Tab")
        expect(app.locator(".wb-case-form")).to_contain_text("real time 2026-11-20 12:30:00")
        page.screenshot(path=str(artifacts / "1-case.png"))
        app.screenshot(path=str(artifacts / "workbench-case.png"))

        page.get_by_role("tab", name="2 · Template").click()
        expect(app.locator(".wb-template-editor")).to_contain_text("Case folder:")
        app.screenshot(path=str(artifacts / "workbench-template.png"))

        page.get_by_role("tab", name="3 · Copy").click()
        page.locator(".wb-copy-sources textarea").fill("")  # the notebook's own sample
        page.locator(".wb-copy-sources textarea").blur()
        pick_with_the_folder_browser(page, small)
        page.locator(".wb-browser-source").click()
        expect(page.locator(".wb-copy-sources textarea")).to_have_value(str(small))
        expect(page.locator(".wb-copy-volumes")).to_contain_text("write blocker")
        shot_from_to(page, app.locator(".wb-folder-browser"), app.locator(".wb-copy-volumes"),
                     artifacts / "folder-browser.png")
        for name, button in (("cases", ".wb-browser-destination"),
                             ("working", ".wb-browser-working")):  # made and picked, not typed
            pick_with_the_folder_browser(page, tmp_path)
            page.locator(".wb-folder-browser input").first.fill(name)
            page.locator(".wb-browser-new-folder").first.click()
            expect(page.locator(".wb-browser-crumb").last).to_have_text(name)
            page.locator(button).click()
        expect(page.locator(".wb-copy-destination input")).to_have_value(str(tmp_path / "cases"))
        expect(page.locator(".wb-copy-also-to textarea")).to_have_value(
            str(tmp_path / "working"))
        expect(app.locator(".wb-tree-preview")).to_contain_text("working case folder")
        expect(app.locator(".wb-tree-preview")).to_contain_text("ch01_20261120_140000_143000.dav")
        page.screenshot(path=str(artifacts / "2-preview.png"))

        page.locator(".wb-copy-run-button").click()
        message = page.locator(".wb-copy-message")
        expect(message).to_contain_text("Copy verified")
        expect(message).to_contain_text("2026-11-20_1400_to_2026-11-20_1530")
        expect(app.locator(".wb-copy-panel table").last).to_contain_text("verified")
        page.screenshot(path=str(artifacts / "3-verified.png"))
        app.screenshot(path=str(artifacts / "workbench.png"))
        page.locator(".wb-copy-report-button").click()
        printable = app.frame_locator(".wb-printable iframe")
        expect(printable.locator("body")).to_contain_text("2026-004512")
        app.locator(".wb-printable").screenshot(path=str(artifacts / "5-printable.png"))

        export = app.locator(".wb-export-panel")  # the out folder picked and made, not typed
        export.locator(".wb-browse").last.click()
        pick_with_the_folder_browser(export, tmp_path)
        export.locator(".wb-folder-browser input").fill("exports")
        export.locator(".wb-browser-new-folder").click()
        expect(export.locator(".wb-browser-crumb").last).to_have_text("exports")
        export.locator(".wb-browser-folder").click()
        expect(export.locator(".wb-export-out-dir input")).to_have_value(
            str(tmp_path / "exports"))
        export.locator(".wb-export-run-button").click()
        expect(export.locator(".wb-export-message")).to_contain_text("Exported and verified")
        check_the_delivered_report(tmp_path / "cases", tmp_path / "exports")

        page.locator(".wb-copy-footage-button").click()
        footage = app.locator(".wb-footage-panel")
        expect(footage.locator(".wb-footage-summary")).to_contain_text(
            "ch02: 4 clips; 77.8% of the window recorded; 55.6% playable")
        expect(footage.locator(".wb-footage-problems-table")).to_contain_text("Truncated")
        expect(footage.locator(".wb-footage-timeline")).to_have_attribute(
            "src", re.compile(r"^blob:|^data:image/png"))
        expect(page.locator(".wb-footage-run-button")).to_be_enabled()
        page.set_viewport_size({"width": 1400, "height": 2400})
        footage.screenshot(path=str(artifacts / "workbench-footage.png"))
        page.set_viewport_size({"width": 1400, "height": 1700})
        page.get_by_role("tab", name="3 · Copy").click()

        page.locator(".wb-copy-also-to textarea").fill("")
        page.locator(".wb-copy-sources textarea").fill(str(large))
        page.locator(".wb-copy-sources textarea").blur()
        expect(app.locator(".wb-tree-preview")).to_contain_text("cam2.mp4")
        page.locator(".wb-copy-run-button").click()
        cancel = page.locator(".wb-copy-cancel-button")
        expect(cancel).to_be_enabled()
        cancel.click()
        expect(message).to_contain_text("cancelled")
        expect(page.locator(".wb-copy-run-button")).to_be_enabled()
        page.screenshot(path=str(artifacts / "4-cancelled.png"))

        batch = tmp_path / "cases.csv"
        batch.write_text("occurrence,business,template,sources,destination\n"
                         f"2026-0101,Corner Store,flat,{small},{tmp_path / 'store'}\n"
                         f"2026-0102,Bank,flat,{small},{tmp_path / 'store'}\n"
                         f"2026-0103,=HYPERLINK(1),flat,{small},{tmp_path / 'store'}\n")
        page.get_by_role("tab", name="6 · Batch").click()
        page.locator(".wb-batch-panel input").first.fill(str(batch))
        page.locator(".wb-batch-panel input").first.press("Enter")
        expect(page.locator(".wb-batch-message")).to_contain_text("2 ready")
        expect(page.locator(".wb-batch-panel table").first).to_contain_text("spreadsheet formula")
        page.locator(".wb-batch-run-button").click()
        expect(page.locator(".wb-batch-message")).to_contain_text("2 completed, 1 invalid")
        page.locator(".wb-fleet-panel textarea").fill(str(tmp_path / "store"))
        page.locator(".wb-fleet-panel textarea").blur()
        page.locator(".wb-fleet-run-button").click()
        expect(page.locator(".wb-fleet-message")).to_contain_text(
            "2 case folder(s): 2 ok", timeout=180_000)
        app.screenshot(path=str(artifacts / "workbench-batch.png"))
        browser.close()
    assert not list(tmp_path.rglob("*.partial"))

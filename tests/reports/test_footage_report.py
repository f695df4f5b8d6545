"""The footage part of the printable report: coverage, timeline, contact sheet, clips and
tags in HTML and PDF, everything from the files escaped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cases import CaseData
from workbench.media import probe_media
from workbench.processing import plan_copy, run_copy
from workbench.reports import report_html, write_case_report
from workbench.samples import make_sample_evidence
from workbench.templates import Template, TemplateLevel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "media"))
from media_helpers import SAMPLE_MP4, remux

CASE = CaseData(occurrence="2026-004512", business="Corner Store",
                video_start="2026-11-20T14:00", video_end="2026-11-20T15:30",
                dvr_offset="+00:04:30")
HOSTILE_NAME = 'evil <b>&"x"\x01.mp4'


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    source = make_sample_evidence(tmp_path / "usb")
    remux(source / SAMPLE_MP4, source / HOSTILE_NAME, {
        "title": "<script>alert('x')</script>\x1b[31m\x07", "comment": "A" * 100_000,
    })
    template = Template(id="flat", name="Flat", levels=[TemplateLevel(pattern="{occurrence}")])
    report = run_copy(plan_copy([source], CASE, template, tmp_path / "cases"))
    assert report.outcome == "completed"
    return report.plan.destination


def test_the_case_report_carries_the_footage(case_dir: Path) -> None:
    before = report_html(case_dir)
    assert "No footage analysis in this case folder yet" in before
    probe_media(case_dir)
    page = report_html(case_dir)
    order = [page.index(f"<h2>{title}</h2>") for title in (
        "Footage coverage", "Contact sheet", "Custody log", "Files", "Clips", "Container tags")]
    assert order == sorted(order)
    assert "13:55:30 – 15:25:30 real time" in page
    assert "<td>14:20:00–14:40:00</td>" in page and "77.8 %" in page and "55.6 %" in page
    assert re.search(r'<tr class="failed"><td class="mono">usb/CAM02/NVR_ch2_main_'
                     r"20261120151000_20261120153000\.mp4</td>", page)
    images = re.findall(r'<img src="([^"]{0,40})', page)
    assert len(images) == 2  # the timeline (PNG) and one contact sheet of 7 clips (JPEG)
    assert images[0].startswith("data:image/png;base64,")
    assert images[1].startswith("data:image/jpeg;base64,")
    assert not re.search(r"<(script|link|iframe)\b|\bhref=|url\(", page)


def test_hostile_names_and_tags_are_escaped_in_html_and_pdf(case_dir: Path) -> None:
    probe_media(case_dir)
    html_path, pdf_path = write_case_report(case_dir)
    page = html_path.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page
    assert "evil &lt;b&gt;&amp;&quot;x&quot;\u2401.mp4" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\u241b[31m\u2407" in page
    text_only = re.sub(r'src="data:[^"]*"', "", page)
    assert "(100,000 chars)" not in page  # the probe already cut it to 1,024 characters
    assert re.search(r"<td>A{200}… \(1,0\d\d chars\)</td>", text_only)
    assert "A" * 201 not in text_only
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                          check=True, text=True).stdout
    assert "Footage coverage" in text and "Contact sheet" in text and "Container tags" in text
    assert "<script>alert('x')</script>" in text  # shown as text, the PDF runs nothing
    assert "\x1b" not in text and "\x01" not in text


def test_a_footage_report_on_its_own(tmp_path: Path) -> None:
    media = probe_media(make_sample_evidence(tmp_path / "usb"), case=CASE)
    page = report_html(media)
    assert "<h1>Footage report</h1>" in page and "2026-004512 — Corner Store — usb" in page
    assert "No manifest: this report is not bound to any data." in page

"""The printable case report (HTML and PDF) of a case folder built by the real engine."""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import pytest

from workbench.cases import CaseData
from workbench.errors import HashMismatch, NotACaseFolder, PathNotFound, ReportError, is_kind
from workbench.evidence import CopyRow, verify_case
from workbench.evidence.record import write_run_report
from workbench.processing import CopyReport, plan_copy, run_copy
from workbench.reports import pdf as case_report_pdf
from workbench.reports import report_html, write_case_report
from workbench.reports.document import case_document
from workbench.reports.pdf import MISSING_GLYPH, document_pdf, latin1
from workbench.samples import make_sample_evidence
from workbench.templates.commands import get_template

CASE = CaseData(
    occurrence="2026-004512", business="Corner <Store> & Co", location="123 Main St",
    video_start="2026-11-20T14:00", video_end="2026-11-20T15:30", dvr_offset="DVR is 1h30m ahead",
    technician="Jane Doe", badge_number="4471",
)


@pytest.fixture
def copied(tmp_path: Path) -> CopyReport:
    source = make_sample_evidence(tmp_path / "usb" / "DVR_EXPORT")
    (source / "Łódź <cam>&.txt").write_bytes(b"odd name")
    plan = plan_copy([source], CASE, get_template("default"), tmp_path / "cases",
                     algorithms=["blake3", "xxh128", "sha256"])
    report = run_copy(plan)
    assert report.outcome == "completed"
    return report


def manifest_sha256(case_dir: Path, algorithm: str) -> str:
    data = (case_dir / "_evidence" / f"manifest.{algorithm}").read_bytes()
    return hashlib.sha256(data).hexdigest()


def test_report_holds_case_clocks_custody_files_and_fingerprint(copied: CopyReport) -> None:
    case_dir = copied.plan.destination
    verify_case(case_dir)

    page = report_html(case_dir)

    assert "2026-11-20 14:00:00" in page and "2026-11-20 12:30:00" in page, "both clocks"
    assert "+01:30:00 (recorder clock ahead of real time)" in page
    assert "Jane Doe" in page and "4471" in page and "0.1.0" in page
    assert str(copied.plan.sources[0]) in page
    assert manifest_sha256(case_dir, "blake3") in page
    assert manifest_sha256(case_dir, "sha256") in page
    for row in copied.rows:
        assert row.relative.as_posix() in page or "&lt;cam&gt;" in page
        assert row.hashes["blake3"] in page and row.hashes["xxh128"] in page
        assert f"{row.size:,} B" in page
    assert page.count("<td>copy</td>") == 1 and page.count("<td>audit</td>") == 1
    assert "<td>Jane Doe (badge 4471)</td>" in page, "who did the copy, in the custody log"
    assert "DVR_EXPORT/" in page and "CAM01/" in page, "folder tree"
    assert "0001_" in page and "0002_" in page, "ASC MHL generations of the copy and the audit"
    assert 'class="failed"' not in page


def test_report_is_self_contained_printable_and_escaped(copied: CopyReport) -> None:
    page = report_html(copied.plan.destination)

    assert "@media print" in page and "<style>" in page
    assert not re.search(r"<(script|link|img|iframe)\b|\b(src|href)=|url\(", page)
    assert "Corner &lt;Store&gt; &amp; Co" in page
    assert "Łódź &lt;cam&gt;&amp;.txt" in page
    assert "<Store>" not in page and "<cam>" not in page


def test_names_with_control_characters_are_shown_in_html_and_pdf(
    copied: CopyReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_report_pdf, "FONT_DIRS", ())
    case_dir = copied.plan.destination
    with (case_dir / "_evidence" / "manifest.blake3").open("a") as manifest:
        manifest.write(f"{'0' * 64}  ctl\x01.dav\n")

    assert "ctl\u2401.dav" in report_html(case_dir)
    assert f"ctl{MISSING_GLYPH}.dav" in pdf_text(document_pdf(case_document(case_dir)))


def test_failures_are_highlighted_and_listed(copied: CopyReport) -> None:
    case_dir = copied.plan.destination
    (case_dir / "DVR_EXPORT" / "export_info.txt").unlink()
    bad = CopyRow(
        source=Path("/media/usb/bad.dav"), relative=PurePosixPath("DVR_EXPORT/bad.dav"),
        destination=case_dir / "DVR_EXPORT" / "bad.dav", role="master", size=10,
        status="mismatch", hashes={"blake3": "ab" * 32},
        error=HashMismatch(
            file="bad.dav", algorithm="blake3", expected="ab" * 32, actual="cd" * 32
        ),
    )
    later = datetime(2999, 1, 1, tzinfo=timezone.utc)  # a run report as the engine writes it
    write_run_report(case_dir, later, {"started": later.isoformat()}, [bad], ["blake3"])

    page = report_html(case_dir)

    failures = page.split("<h2>Failures</h2>", 1)[1].split("</section>", 1)[0]
    assert "DVR_EXPORT/bad.dav" in failures and "HashMismatch" in failures
    assert "DVR_EXPORT/export_info.txt" in failures and "missing" in failures
    assert re.search(r'<tr class="failed"><td class="mono">DVR_EXPORT/bad\.dav', page)
    assert re.search(r'<tr class="failed"><td class="mono">DVR_EXPORT/export_info\.txt', page)


def test_write_case_report_writes_html_and_pdf_atomically(
    copied: CopyReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_report_pdf, "FONT_DIRS", ())  # core fonts: no font parsing, fast
    case_dir = copied.plan.destination

    html_path, pdf_path = write_case_report(case_dir)

    evidence = case_dir / "_evidence"
    assert (html_path, pdf_path) == (evidence / "report.html", evidence / "report.pdf")
    assert manifest_sha256(case_dir, "blake3") in html_path.read_text()
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    assert not [p for p in evidence.iterdir() if p.name.endswith(".tmp")]
    elsewhere = write_case_report(case_dir, case_dir.parent / "out", paper="Letter")
    assert [p.parent for p in elsewhere] == [case_dir.parent / "out"] * 2
    assert b"/MediaBox [0 0 612.00 792.00]" in elsewhere[1].read_bytes()


def pdf_text(data: bytes) -> str:
    """The page streams of an fpdf2 PDF, inflated (readable with the core fonts)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL)
    texts = []
    for stream in streams:
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(texts)


def test_pdf_embeds_unicode_fonts_when_the_system_has_them(copied: CopyReport) -> None:
    if case_report_pdf._dejavu_files() is None:
        pytest.skip("no DejaVu fonts on this machine")
    data = document_pdf(case_document(copied.plan.destination))

    assert b"DejaVuSans" in data and b"DejaVuSansMono" in data
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1


def test_pdf_falls_back_to_latin1_with_a_visible_marker(
    copied: CopyReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_report_pdf, "FONT_DIRS", ())
    case_dir = copied.plan.destination

    data = document_pdf(case_document(case_dir), "Letter")
    text = pdf_text(data).replace(") Tj (", "")  # fpdf2 writes "{nb}" as its own string

    pages = len(re.findall(rb"/Type /Page\b", data))
    assert pages >= 2
    assert all(f"Page {n} of {pages}" in text for n in range(1, pages + 1))
    assert text.count(f"Fingerprint {manifest_sha256(case_dir, 'blake3')}") == pages
    assert f"2026-004512 - Corner <Store> & Co - {case_dir.name}" in text
    assert f"{MISSING_GLYPH}ódz" in text, "a letter Latin-1 lacks is marked, not dropped"
    assert f"{MISSING_GLYPH} marks a character this font lacks" in text
    assert b"DejaVu" not in data


def test_latin1_transliterates_and_marks_what_it_cannot_show() -> None:
    assert latin1("Ñandú café") == "Ñandú café"
    assert latin1("Łódź Škoda — “ok”") == f'{MISSING_GLYPH}ódz Skoda - "ok"'
    assert latin1("監視 cam") == f"{MISSING_GLYPH}{MISSING_GLYPH} cam"


def test_copy_and_verify_reports_render_as_html(copied: CopyReport) -> None:
    case_dir = copied.plan.destination
    (case_dir / "DVR_EXPORT" / "export_info.txt").write_bytes(b"tampered")

    copy_page = report_html(copied)
    audit_page = report_html(verify_case(case_dir))

    assert copied.rows[0].hashes["blake3"] in copy_page and "completed" in copy_page
    assert "<td>copy</td>" in copy_page, "the case folder's custody log"
    assert "PROBLEMS FOUND" in audit_page
    assert re.search(r'<tr class="failed"><td class="mono">DVR_EXPORT/export_info\.txt', audit_page)
    assert "2026-004512" in audit_page


def test_a_folder_without_an_evidence_record_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        report_html(tmp_path)
    assert is_kind(caught.value, NotACaseFolder)
    with pytest.raises(ReportError) as missing:
        report_html(tmp_path / "nowhere")
    assert is_kind(missing.value, PathNotFound)


def test_a_damaged_custody_log_is_a_typed_error(copied: CopyReport) -> None:
    log = copied.plan.destination / "_evidence" / "custody.jsonl"
    log.write_text(log.read_text() + "{not json\n")

    with pytest.raises(ReportError) as caught:
        report_html(copied.plan.destination)
    assert caught.value.type == "CorruptFile"


def test_table_cells_wrap_at_separators_and_split_long_digests() -> None:
    def measure(char: str) -> float:
        return 1.0

    assert case_report_pdf._wrap("DVR_EXPORT/CAM01/clip.dav", 12, measure) == [
        "DVR_EXPORT/", "CAM01/", "clip.dav",
    ]
    digest = "ab" * 32
    lines = case_report_pdf._wrap(digest, 30, measure)
    assert "".join(lines) == digest and max(map(len, lines)) <= 30
    assert case_report_pdf._wrap("verified 5, ok 2", 9, measure) == ["verified", "5, ok 2"]

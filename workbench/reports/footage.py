"""The footage part of a report: coverage of the requested window, the timeline, the contact
sheet and one row per clip, from a footage analysis (`MediaReport`)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from workbench.cases import CaseData
from workbench.errors import MediaError
from workbench.media import Coverage, MediaFile, MediaReport, coverage, stored_media
from workbench.reports.document import _when as when
from workbench.reports.model import Fact, ReportDocument, ReportImage, Section, Table
from workbench.reports.record import manifests_of

SHEET_ROWS = 6
"""Rows of keyframes per contact-sheet image (one printed page each)."""
SHEET_COLUMNS = 4
"""Keyframes per row."""
TIMELINE_DPI = 150
"""Resolution of the timeline image (print quality)."""
BOILERPLATE_TAGS = frozenset({"major_brand", "minor_version", "compatible_brands"})
"""ISO BMFF tags every MP4 has, left out of the report."""
TAG_CHARS = 200
"""Characters of a tag value the report shows."""
TIMELINE_CAPTION = (
    "Coverage timeline: one lane per camera on the recorder clock (real time on the top "
    "axis), the requested window shaded, gaps hatched, damaged clips in red."
)


def with_footage(document: ReportDocument, case_dir: Path,
                 case: CaseData | None) -> ReportDocument:
    """`document` (a case report) with the case folder's stored footage analysis: coverage and
    contact sheet before the custody log, the clips after the files."""
    after: list[Section] = []
    try:
        media = stored_media(case_dir)
    except MediaError as exc:
        before = [Section(title="Footage coverage", note=str(exc))]
    else:
        if media is None:
            before = [Section(title="Footage coverage", note=(
                "No footage analysis in this case folder yet (workbench media CASE_DIR, or "
                "the Footage tab, makes one)."))]
        else:
            before = footage_sections(media, coverage(media, media.case or case))
            after = [clips_section(media), tags_section(media)]
    sections: list[Section] = []
    for section in document.sections:
        if section.title == "Custody log":
            sections += before
            before = []
        sections.append(section)
        if section.title == "Files":
            sections += after
            after = []
    return document.model_copy(update={"sections": [*sections, *before, *after]})


def footage_document(media: MediaReport) -> ReportDocument:
    """A report of one footage analysis on its own."""
    manifests = manifests_of(media.root) if media.root is not None else []
    case = media.case
    subtitle = " — ".join(part for part in (
        case and case.occurrence, case and case.business,
        media.root.name if media.root else "selected files") if part)
    return ReportDocument(
        title="Footage report", subtitle=subtitle, generated=datetime.now(timezone.utc),
        fingerprint=manifests[0].sha256 if manifests else None,
        fingerprint_of=f"_evidence/{manifests[0].name}" if manifests else None,
        sections=[*footage_sections(media, coverage(media)), clips_section(media),
                  tags_section(media)],
    )


def footage_sections(media: MediaReport, cover: Coverage) -> list[Section]:
    """Coverage (facts, per-camera table, timeline) and the contact sheet."""
    return [_coverage_section(media, cover), _sheet_section(media)]


def clips_section(media: MediaReport) -> Section:
    """One row per file of the analysis, problems highlighted."""
    rows, failed = [], []
    for row in media.rows:
        problems = row.all_problems()
        rows.append([
            row.relative.as_posix(), row.lane, row.kind, _codec(row), _picture(row),
            row.rate_label() or "—", _seconds(row.duration_s), when(row.recorder_start),
            when(row.recorder_end), when(media.real(row, row.recorder_start)),
            row.time_source or "—",
            "; ".join(f"{problem.type}: {text}" for problem, text in problems),
        ])
        failed.append(bool(problems))
    return Section(
        title="Clips",
        note="Every file of the footage analysis: what the probe read (PyAV), when it was "
        "recorded (recorder clock; real time through its recorder's clock: offset, drift, time "
        "zone) and which source gave the time. A rate no header gives is 'unknown!', never "
        "FFmpeg's default; a rate the analyst set says so, beside what the header gave.",
        table=Table(
            columns=["File", "Camera", "Kind", "Codec", "Picture", "Rate", "Duration",
                     "Recorder start", "Recorder end", "Real start", "Time from", "Problem"],
            rows=rows, failed=failed, mono=[0], widths=[11, 4, 3, 3, 5, 3, 4, 7, 7, 7, 4, 12],
        ),
    )


def tags_section(media: MediaReport) -> Section:
    """The containers' own tags (creation time, encoder, title ...), each value shortened."""
    rows = [
        [row.relative.as_posix(), key, _shorten(value)]
        for row in media.rows for key, value in sorted(row.tags.items())
        if key not in BOILERPLATE_TAGS
    ]
    return Section(
        title="Container tags",
        note="What each file's container says about itself (ISO brand tags left out); long "
        "values are shortened." if rows else "No file carries container tags.",
        table=Table(columns=["File", "Tag", "Value"], rows=rows, mono=[0], widths=[5, 2, 8]),
    )


def _shorten(value: str) -> str:
    return value if len(value) <= TAG_CHARS else f"{value[:TAG_CHARS]}… ({len(value):,} chars)"


def _coverage_section(media: MediaReport, cover: Coverage) -> Section:
    media_rows = media.media()
    sources = Counter(row.time_source or "none" for row in media_rows)
    facts = [
        Fact(label="Analysed (UTC)", value=when(media.finished)),
        Fact(label="Files", value=f"{len(media.rows)} ({len(media_rows)} media)"),
        Fact(label="Cameras", value=", ".join(camera.camera for camera in cover.cameras) or "—"),
        Fact(label="With problems", value=str(sum(row.problem is not None
                                                  for row in media.rows)) or "none"),
        Fact(label="Recording times from",
             value=", ".join(f"{name} {count}" for name, count in sorted(sources.items()))),
        Fact(label="Gap tolerance", value=f"{cover.tolerance_s:g} s"),
    ]
    if media.rates:
        facts.append(Fact(label="Frame rates set by the analyst", value=", ".join(
            f"{key} = {rate.fps:g} fps" for key, rate in sorted(media.rates.items()))))
    if media.outcome != "completed":
        facts.append(Fact(label="Outcome", value="CANCELLED: not every file was read"))
    rows, failed = [], []
    for camera in cover.cameras:
        first = camera.recorded[0].start if camera.recorded else None
        last = camera.recorded[-1].end if camera.recorded else None
        rows.append([
            camera.camera, str(camera.clips), str(camera.problems), str(len(camera.outside)),
            _pct(camera.covered_pct), _pct(camera.playable_pct),
            "; ".join(f"{gap.start:%H:%M:%S}–{gap.end:%H:%M:%S}" for gap in camera.gaps)
            or "none",
            f"{when(first)} – {when(last)}",
        ])
        failed.append(bool(camera.gaps or camera.problems))
    image = ReportImage.of(cover.figure().png(dpi=TIMELINE_DPI), TIMELINE_CAPTION)
    return Section(
        title="Footage coverage",
        note=" ".join(cover.summary_lines()[:1]),
        facts=facts,
        images=[image],
        table=Table(
            columns=["Camera", "Clips", "Damaged", "Outside", "Recorded", "Playable",
                     "Gaps (recorder clock)", "First – last (recorder clock)"],
            rows=rows, failed=failed, widths=[3, 2, 2, 2, 2, 2, 6, 8],
        ),
    )


def _sheet_section(media: MediaReport) -> Section:
    per_sheet = SHEET_ROWS * SHEET_COLUMNS
    videos = [row for row in media.rows if row.kind == "video"]
    images = []
    for first in range(0, len(videos), per_sheet):
        part = videos[first:first + per_sheet]
        sheet = media.contact_sheet(columns=SHEET_COLUMNS, rows=part)
        caption = f"Clips {first + 1}–{first + len(part)} of {len(videos)}"
        images.append(ReportImage.of(sheet.jpeg, caption))
    return Section(
        title="Contact sheet",
        note="The first keyframe of each video clip, labelled with its camera and recorder "
        "time; a red frame marks a clip with a problem." if videos else "No video clips.",
        images=images,
    )


def _codec(row: MediaFile) -> str:
    return " + ".join(codec for codec in (row.video_codec, row.audio_codec) if codec) or "—"


def _picture(row: MediaFile) -> str:
    if not row.width or not row.height:
        return "—"
    rate = f" @ {row.avg_frame_rate:g} fps" if row.avg_frame_rate else ""
    return f"{row.width}×{row.height}{rate}"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    minutes, seconds = divmod(value, 60)
    return f"{int(minutes)}:{seconds:04.1f}" if minutes else f"{seconds:.1f} s"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


__all__ = [
    "clips_section", "footage_document", "footage_sections", "tags_section", "with_footage",
]

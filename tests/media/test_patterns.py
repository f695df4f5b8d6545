"""DVR file-name patterns: the bundled examples, the user's own file, hostile names and
properties over open-ended input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.errors import MediaError
from workbench.media import DvrPattern, bundled_patterns, load_patterns, user_patterns_path
from workbench.media.timing import match_name

BUNDLED = bundled_patterns()
EXAMPLES = [(pattern, example) for pattern in BUNDLED for example in pattern.examples]


@pytest.mark.parametrize(("pattern", "example"), EXAMPLES,
                         ids=[f"{p.id}:{e.path}" for p, e in EXAMPLES])
def test_every_bundled_example_reads_back(pattern: DvrPattern, example) -> None:
    found = match_name(PurePosixPath(example.path), BUNDLED)
    assert found is not None and found.pattern == pattern.id
    assert (found.start, found.end) == (example.start, example.end)
    assert (found.channel, found.camera) == (example.channel, example.camera)


def test_the_library_covers_the_recorders_asked_for() -> None:
    names = {
        "ch01_20261120_140000.dav": datetime(2026, 11, 20, 14),
        "ch01_20261120_140000_143000.dav": datetime(2026, 11, 20, 14),
        "NVR_ch2_main_20261120140000_20261120143000.dav": datetime(2026, 11, 20, 14),
        "20261120_140000.mp4": datetime(2026, 11, 20, 14),
        "2026-11-20 14.00.00.mp4": datetime(2026, 11, 20, 14),
    }
    for name, start in names.items():
        found = match_name(PurePosixPath(name), BUNDLED)
        assert found is not None and found.start == start, name
    assert len(BUNDLED) >= 10


@pytest.mark.parametrize("name", [
    "export_info.txt", "player.exe", "ch01_20261340_140000.dav", "ch01_20261120_256100.dav",
    "clip_2026.mp4", "", "\x00\x1b[31m.mp4", "9" * 400 + ".mp4",
])
def test_names_that_match_no_pattern(name: str) -> None:
    assert match_name(PurePosixPath(name or "."), BUNDLED) is None


def test_a_reversed_full_range_keeps_only_its_start() -> None:
    found = match_name(PurePosixPath("ch01_20261120150000_20261120140000.dav"), BUNDLED)
    assert found is not None and found.start == datetime(2026, 11, 20, 15) and found.end is None


def test_user_patterns_are_tried_first(workbench_home: Path) -> None:
    user = {"patterns": [{
        "id": "agency-cam", "regex": r"^Cam(?P<channel>\d+)-(?P<start>\d{12})",
        "start_format": "%y%m%d%H%M%S",
    }]}
    user_patterns_path().write_text(json.dumps(user), encoding="utf-8")
    patterns = load_patterns()
    assert patterns[0].id == "agency-cam" and len(patterns) == len(BUNDLED) + 1
    found = match_name(PurePosixPath("Cam7-261120140000_20261120_150000.mp4"), patterns)
    assert found is not None and (found.pattern, found.start, found.channel) == (
        "agency-cam", datetime(2026, 11, 20, 14), "7")


@pytest.mark.parametrize(("content", "detail"), [
    (b"{not json", "not JSON"),
    (b'{"patterns": [{"id": "x", "regex": "(", "start_format": "%Y"}]}', "regular expression"),
    (b'{"patterns": [{"id": "x", "regex": "(?P<when>\\\\d+)", "start_format": "%Y"}]}',
     "start"),
    (b'{"patterns": [{"id": "x", "regex": "(?P<start>\\\\d+)", "start_format": "%B"}]}',
     "digits-only"),
])
def test_a_bad_user_file_is_a_typed_error(workbench_home: Path, content: bytes,
                                          detail: str) -> None:
    user_patterns_path().write_bytes(content)
    with pytest.raises(MediaError) as caught:
        load_patterns()
    assert caught.value.payload.type == "CorruptFile"
    assert detail in str(caught.value) and str(user_patterns_path()) in str(caught.value)


@given(st.text(alphabet="0123456789_-./ chCHTNVRmainsub", max_size=80))
def test_no_pattern_gives_an_end_before_its_start(name: str) -> None:
    found = match_name(PurePosixPath(name or "."), BUNDLED)
    if found is not None and found.end is not None:
        assert found.end >= found.start


moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2063, 12, 31))


@given(start=moments, length=st.integers(min_value=0, max_value=86_399),
       channel=st.integers(min_value=1, max_value=64))
def test_formatted_names_read_back_exactly(start: datetime, length: int, channel: int) -> None:
    start = start.replace(microsecond=0)
    end = start + timedelta(seconds=length)
    names = [
        f"ch{channel:02d}_{start:%Y%m%d_%H%M%S}_{end:%H%M%S}.dav",
        f"NVR_ch{channel}_main_{start:%Y%m%d%H%M%S}_{end:%Y%m%d%H%M%S}.dav",
        f"{start:%Y-%m-%d %H.%M.%S} - {end:%Y-%m-%d %H.%M.%S}.mp4",
    ]
    for name in names:
        found = match_name(PurePosixPath(name), BUNDLED)
        assert found is not None, name
        assert (found.start, found.end) == (start, end), name

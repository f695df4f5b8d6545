"""Names analysts meet: vendor families, zones, 12-hour clocks, the two-phase fallback, bad
dates, and a user pattern that backtracks catastrophically."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from clips import make_clip

from workbench.cli import main
from workbench.media import bundled_patterns, match_name, probe_media, user_patterns_path
from workbench.media.timing import read_name

FAMILIES = {"Hikvision", "Dahua", "Reolink", "Axis", "exacqVision", "Milestone", "Genetec",
            "Avigilon", "UniFi Protect", "Frigate", "Brickcom"}


def test_the_library_has_every_family_asked_for_each_with_examples() -> None:
    patterns = bundled_patterns()
    families = {part.strip() for p in patterns for part in p.family.split("/")}
    assert families >= FAMILIES
    assert all(p.examples for p in patterns)
    assert {p.zone for p in patterns} >= {None, "UTC"}


@pytest.mark.parametrize(("name", "start"), [
    ("Parking Lot - 2026-11-20 02.00.00 PM.avi", datetime(2026, 11, 20, 14)),
    ("Parking Lot - 2026-11-20 12.30.00 AM.avi", datetime(2026, 11, 20, 0, 30)),
    ("Front Door Nov 20, 2026, 2.00.00 PM.mp4", datetime(2026, 11, 20, 14)),
])
def test_12_hour_clocks(name: str, start: datetime) -> None:
    (reading,) = match_name(name)
    assert reading.start == start and reading.confidence == 1.0


def test_a_scheme_in_utc_says_so_and_real_times_follow(tmp_path: Path) -> None:
    (reading,) = match_name("Front Door_2026-11-20T14-00-00.000Z.mp4")
    assert reading.zone == "UTC" and reading.family == "UniFi Protect"
    clip = make_clip(tmp_path / "Front Door_2026-11-20T14-00-00.000Z.mp4")
    row = probe_media(clip, thumbnails=False).to_frame().iloc[0]
    assert row["real_start"].utcoffset().total_seconds() == 0
    assert row["real_start"].hour == 14


def test_the_fallback_finds_date_and_time_apart_with_a_confidence() -> None:
    adjacent, apart, folder = match_name("cam 20.11.2026 x 14-05-09.mp4",
                                         "Front Door 2026-11-20 at 2-00-00 PM.mp4",
                                         "2026-11-20/lobby/clip_140000.mp4")
    assert adjacent.pattern == apart.pattern == folder.pattern == "fallback"
    assert apart.start == datetime(2026, 11, 20, 14) and apart.confidence == 0.6
    assert folder.start == datetime(2026, 11, 20, 14) and folder.confidence == 0.4
    assert adjacent.start == datetime(2026, 11, 20, 14, 5, 9)


def test_impossible_and_ambiguous_dates_give_no_time() -> None:
    impossible, ambiguous = match_name("cam_2026-02-30 14.00.00.mp4", "01-02-2026 14.00.00.mp4")
    assert impossible.start is None and impossible.ambiguous == []
    assert ambiguous.start is None
    assert ambiguous.ambiguous == [date(2026, 1, 2), date(2026, 2, 1)]
    assert "ambiguous" in ambiguous.describe()


def test_a_catastrophic_user_pattern_is_stopped_never_hangs(workbench_home: Path,
                                                           tmp_path: Path) -> None:
    user = {"patterns": [{"id": "evil", "regex": r"(?P<start>(a|aa)+)$",
                          "start_format": "%Y"}]}
    user_patterns_path().write_text(json.dumps(user), encoding="utf-8")
    name = "a" * 60 + "b_20261120_140000.mp4"
    began = time.monotonic()
    (reading,) = match_name(name)
    assert time.monotonic() - began < 5
    assert reading.timed_out == ["evil"]
    assert reading.start == datetime(2026, 11, 20, 14)  # the next pattern still read it
    folder = tmp_path / "export"
    folder.mkdir()
    make_clip(folder / name)
    report = probe_media(folder, thumbnails=False)
    assert report.rows[0].recorder_start == datetime(2026, 11, 20, 14)


def test_patterns_test_verb(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["patterns", "test", "Lobby Cam_2026-11-20_14h00m00s.g64"]) == 0
    assert "genetec-export" in capsys.readouterr().out
    assert main(["patterns", "test", "notes.txt"]) != 0


def test_any_name_gives_a_reading() -> None:
    for name in ["", "\x00", "9" * 500, "ä/ö/ü.mp4", "../../etc/passwd"]:
        assert read_name(name, bundled_patterns()).name == name



def test_the_footage_tab_has_the_same_tester() -> None:
    from workbench.ui import FootagePanel

    panel = FootagePanel()
    panel.name_test.value = "Lobby Cam_2026-11-20_14h00m00s.g64\n01-02-2026 14.00.00.mp4"
    panel.name_test_button.click()
    assert "genetec-export" in panel.name_result.value
    assert "ambiguous date" in panel.name_result.value

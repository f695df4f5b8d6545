"""Recorders and their clocks: offset, drift, time zones, the daylight-saving hours."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cases import (
    AmbiguousTime,
    CaseData,
    ClockObservation,
    NonexistentTime,
    Recorder,
)
from workbench.errors import CaseError

UTC = timezone.utc
moments = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1))
offsets = st.timedeltas(min_value=-timedelta(days=2), max_value=timedelta(days=2))


def observed(shown: str, real: str) -> ClockObservation:
    return ClockObservation(recorder_time=shown, real_time=real)  # type: ignore[arg-type]


def test_one_observation_is_an_offset() -> None:
    recorder = Recorder(name="NVR", observations=[observed("2026-11-20T14:04:30",
                                                            "2026-11-20T14:00:00")])
    assert recorder.clock_line() == (270.0, 0.0)
    assert recorder.real(datetime(2026, 11, 21, 9, 4, 30)).moment == datetime(2026, 11, 21, 9)


def test_two_observations_give_a_linear_drift() -> None:
    # right on 1 Nov, 60 s fast on 1 Dec: 30 s fast half way
    recorder = Recorder(name="NVR", observations=[
        observed("2026-11-01T00:00:00", "2026-11-01T00:00:00"),
        observed("2026-12-01T00:01:00", "2026-12-01T00:00:00")])
    _offset, drift = recorder.clock_line() or (0.0, 0.0)
    assert drift == pytest.approx(60 / (30 * 86_400 + 60))
    real = recorder.real(datetime(2026, 11, 16, 0, 0, 30)).moment
    assert real is not None
    assert abs((real - datetime(2026, 11, 16)).total_seconds()) < 0.01


def test_zone_makes_real_times_utc() -> None:
    recorder = Recorder(name="NVR", time_zone="America/Toronto",
                        observations=[observed("2026-07-01T12:02:00", "2026-07-01T12:00:00")])
    real = recorder.real(datetime(2026, 7, 1, 15, 2))
    assert real.moment == datetime(2026, 7, 1, 19, 0, tzinfo=UTC)  # EDT is UTC-4


def test_the_repeated_hour_is_ambiguous_for_a_recorder_on_daylight_saving() -> None:
    recorder = Recorder(name="NVR", time_zone="Europe/London")
    real = recorder.real(datetime(2026, 10, 25, 1, 30))
    assert real.moment is None and isinstance(real.problem, AmbiguousTime)
    assert "twice" in real.problem.describe()


def test_the_skipped_hour_does_not_exist_for_a_recorder_on_daylight_saving() -> None:
    recorder = Recorder(name="NVR", time_zone="Europe/London")
    real = recorder.real(datetime(2026, 3, 29, 1, 30))
    assert real.moment is None and isinstance(real.problem, NonexistentTime)


def test_a_recorder_that_ignores_daylight_saving_stays_on_standard_time() -> None:
    recorder = Recorder(name="NVR", time_zone="Europe/London", observes_dst=False)
    # its 01:30 on the night the clocks go back is once, in GMT
    assert recorder.real(datetime(2026, 10, 25, 1, 30)).moment == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC)
    # in summer it shows 12:00 at 13:00 BST, i.e. 12:00 UTC
    summer = recorder.real(datetime(2026, 7, 1, 12, 0)).moment
    assert summer == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    # an hour of its footage across the change is an hour of real time, with no hole
    before, after = (recorder.real(datetime(2026, 3, 29, h, 30)).moment for h in (0, 1))
    assert before is not None and after is not None and after - before == timedelta(hours=1)


def test_the_old_dvr_offset_is_one_recorder_without_drift() -> None:
    case = CaseData(occurrence="x", dvr_offset="+00:04:30")
    (recorder,) = case.clock_recorders()
    assert recorder.time_zone is None and recorder.clock_line() == (270.0, 0.0)
    assert recorder.real(datetime(2026, 11, 20, 14, 4, 30)).moment == datetime(2026, 11, 20, 14)
    assert CaseData(occurrence="x").clock_recorders() == []


@settings(max_examples=80, deadline=None)
@given(moment=moments, offset=offsets, later=st.timedeltas(
    min_value=timedelta(hours=1), max_value=timedelta(days=400)))
def test_zero_drift_equals_the_old_offset_model(moment: datetime, offset: timedelta,
                                                later: timedelta) -> None:
    offset = timedelta(seconds=round(offset.total_seconds()))
    first = datetime(2026, 1, 1)
    two = Recorder(name="NVR", observations=[
        ClockObservation(recorder_time=first, real_time=first - offset),
        ClockObservation(recorder_time=first + later, real_time=first + later - offset)])
    old = CaseData(occurrence="x", dvr_offset=offset).clock_recorders()[0]
    for recorder in (two, old):
        real = recorder.real(moment).moment
        assert real is not None
        assert abs((real - (moment - offset)).total_seconds()) < 1e-3


def test_recorder_facts_are_checked() -> None:
    with pytest.raises(CaseError):
        Recorder(name="NVR", time_zone="Mars/Olympus")
    with pytest.raises(CaseError):
        Recorder(name="NVR", observations=[observed("2026-01-01T00:00", "2026-01-01T00:00"),
                                           observed("2026-01-01T00:00", "2026-01-01T00:01")])
    with pytest.raises(CaseError):
        CaseData(occurrence="x", recorders=[Recorder(name="A"), Recorder(name="A")])
    with pytest.raises(CaseError):
        CaseData(occurrence="x", recorders=[Recorder(name="A", folders=["x"]),
                                            Recorder(name="B", folders=["x"])])
    with pytest.raises(CaseError):
        CaseData(occurrence="x", time_zone="Nowhere/Land")


def test_recorders_round_trip_through_json() -> None:
    case = CaseData(occurrence="x", time_zone="Europe/London", recorders=[
        Recorder(name="Shop NVR", make="Hikvision", model="DS-7608NI-K2", serial="J123",
                 time_zone="Europe/London", observes_dst=False, folders=["NVR1"],
                 observations=[observed("2026-11-20T14:04:30", "2026-11-20T14:00:00Z")])])
    again = CaseData.model_validate_json(case.model_dump_json())
    assert again == case
    assert "recorders" not in case.template_values()

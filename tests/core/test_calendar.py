"""Business-time arithmetic, by property: weekends, split hours, national holidays of the six
countries, DST changes and pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kliento.core.calendar import CalendarError, calendar_for, parse_hours

COUNTRIES = {"LV": "Europe/Riga", "PL": "Europe/Warsaw", "RS": "Europe/Belgrade",
             "EE": "Europe/Tallinn", "HU": "Europe/Budapest", "GB": "Europe/London"}
SPLIT = {d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC))
durations = st.floats(min_value=0, max_value=60 * 3600, allow_nan=False)
countries = st.sampled_from(sorted(COUNTRIES))


def cal(country: str = "LV", hours: dict[str, list[str]] | None = None,
        closed: tuple[date, ...] = ()):
    return calendar_for(time_zone=COUNTRIES[country], hours=hours or SPLIT, country=country,
                        closed=closed)


@settings(max_examples=150, deadline=None)
@given(start=moments, seconds=durations, country=countries)
def test_adding_then_measuring_gives_back_the_duration(start, seconds, country):
    c = cal(country)
    end = c.add(start, seconds)
    assert end >= start
    assert c.between(start, end) == pytest.approx(seconds, abs=1e-3)


@settings(max_examples=100, deadline=None)
@given(start=moments, a=durations, b=durations, country=countries)
def test_adding_more_never_ends_earlier(start, a, b, country):
    c = cal(country)
    assert c.add(start, min(a, b)) <= c.add(start, max(a, b))


@settings(max_examples=100, deadline=None)
@given(start=moments, seconds=st.floats(min_value=1, max_value=40 * 3600), country=countries)
def test_a_deadline_falls_inside_working_hours(start, seconds, country):
    c = cal(country)
    end = c.add(start, seconds)
    local = end.astimezone(ZoneInfo(COUNTRIES[country]))
    assert local.weekday() < 5
    assert not c.is_closed(local.date())
    assert any(a < end <= b for a, b in c.intervals(local.date()))


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_national_holidays_have_no_business_time(country):
    c = cal(country, hours={d: ["00:00-24:00"] for d in
                            ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    tz = ZoneInfo(COUNTRIES[country])
    for day in holidays.country_holidays(country, years=2026):
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        assert c.between(start, start + timedelta(days=1)) == 0, (country, day)


def test_weekends_and_split_hours():
    c = cal("PL")
    friday_noon = datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    # Friday 11:00–12:00 and 13:00–17:00 = 5 h, nothing at the weekend, Monday 08:00–11:00
    assert c.between(friday_noon, friday_noon + timedelta(days=3)) == 8 * 3600
    assert c.add(friday_noon, 6 * 3600) == datetime(2026, 11, 23, 9, 0,
                                                    tzinfo=ZoneInfo("Europe/Warsaw"))


def test_the_seeds_24_business_hours_rule():
    c = cal("LV", hours={d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")})
    # an e-mail on Thursday 16:00 must be answered within 24 business hours: by Tuesday 16:00
    thursday = datetime(2026, 11, 19, 16, 0, tzinfo=ZoneInfo("Europe/Riga"))
    assert c.add(thursday, 24 * 3600) == datetime(2026, 11, 24, 16, 0,
                                                  tzinfo=ZoneInfo("Europe/Riga"))


@pytest.mark.parametrize(("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)])
def test_dst_days_are_as_long_as_they_really_are(day, hours):
    every = {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    c = cal("LV", hours=every)
    tz = ZoneInfo("Europe/Riga")
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    assert c.between(start, end) == hours * 3600


@settings(max_examples=80, deadline=None)
@given(start=moments, seconds=durations, pause_at=durations, pause=durations)
def test_pauses_do_not_count(start, seconds, pause_at, pause):
    c = cal("EE")
    end = c.add(start, seconds)
    p = start + timedelta(seconds=pause_at)
    q = p + timedelta(seconds=pause)
    paused = c.between(p, q) if p < end else 0.0
    inside = max(0.0, c.between(max(p, start), min(q, end))) if p < end else 0.0
    assert c.between(start, end, excluding=[(p, q)]) == pytest.approx(seconds - inside, abs=1e-3)
    assert paused >= inside - 1e-3


def test_custom_closed_days_count_as_holidays():
    c = cal("HU", closed=(date(2026, 12, 24),))
    tz = ZoneInfo("Europe/Budapest")
    eve = datetime(2026, 12, 24, 0, 0, tzinfo=tz)
    assert c.between(eve, eve + timedelta(days=1)) == 0


@pytest.mark.parametrize(("hours", "message"), [
    ({"monday": ["09:00-17:00"]}, "unknown weekday"),
    ({"mon": ["9-17"]}, "HH:MM-HH:MM"),
    ({"mon": ["17:00-09:00"]}, "ends before it starts"),
    ({"mon": ["09:00-12:00", "11:00-13:00"]}, "overlap"),
    ({"mon": ["25:00-26:00"]}, "not a time of day"),
])
def test_bad_hours_are_named(hours, message):
    with pytest.raises(CalendarError, match=message):
        parse_hours(hours)


def test_a_calendar_without_hours_refuses_deadlines():
    with pytest.raises(CalendarError, match="no working hours"):
        calendar_for(time_zone="UTC", hours={"mon": []}, country="").add(
            datetime(2026, 1, 1, tzinfo=UTC), 60)

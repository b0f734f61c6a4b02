"""The working-time helper: 24-hour clock, working hours and working days for a Pemda."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balai.core.calendars import WorkingCalendar

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC
bangli = WorkingCalendar(timezone="Asia/Makassar")


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


class TestIdulFitri2025:
    """Nyepi (28-29 Mar) and Idul Fitri with cuti bersama (31 Mar - 7 Apr 2025) close offices."""

    start = wita(2025, 3, 27, 15, 0)  # Thursday 15.00 WITA, one working hour left that day

    def test_holidays_and_cuti_bersama_are_not_working_days(self):
        closed = [
            dt.date(2025, 3, 28),
            dt.date(2025, 3, 31),
            dt.date(2025, 4, 2),
            dt.date(2025, 4, 7),
        ]
        assert not any(bangli.is_working_day(day) for day in closed)
        assert bangli.is_working_day(dt.date(2025, 4, 8))

    def test_24_hour_clock_runs_through_the_holiday(self):
        assert bangli.add_clock_hours(self.start, 24) == wita(2025, 3, 28, 15, 0)

    def test_24_hour_clock_does_not_stop_on_idul_fitri_or_cuti_bersama(self):
        # Filed on the eve of Idul Fitri: due on 1 Syawal itself, then through cuti bersama,
        # while the working-time clock for the same start waits until Tuesday 8 April.
        eve = wita(2025, 3, 30, 20, 0)
        assert bangli.add_clock_hours(eve, 24) == wita(2025, 3, 31, 20, 0)
        assert bangli.add_clock_hours(wita(2025, 4, 1, 9, 0), 24) == wita(2025, 4, 2, 9, 0)
        assert bangli.add_clock_hours(eve, 24 * 8) == wita(2025, 4, 7, 20, 0)
        assert bangli.add_working_hours(eve, 1) == wita(2025, 4, 8, 8, 30)

    def test_working_hours_skip_to_after_cuti_bersama(self):
        # 1 hour on Thursday (15.00-16.00), then 7 hours from Tuesday 8 April 07.30:
        # 4.5 before the break, 2.5 after it.
        assert bangli.add_working_hours(self.start, 8) == wita(2025, 4, 8, 15, 30)

    def test_working_days_count_only_open_days(self):
        assert bangli.add_working_days(self.start, 3) == wita(2025, 4, 10, 16, 0)

    def test_working_hours_between_spans_the_holiday(self):
        assert bangli.working_hours_between(self.start, wita(2025, 4, 8, 15, 30)) == 8


class TestWeekendAndFridayEvening:
    def test_friday_afternoon_plus_four_working_hours_lands_on_monday(self):
        # Friday closes at 16.30: 1.5 hours on Friday, 2.5 on Monday from 07.30.
        assert bangli.add_working_hours(wita(2025, 1, 10, 15, 0), 4) == wita(2025, 1, 13, 10, 0)

    def test_friday_evening_in_wita(self):
        evening = wita(2025, 1, 10, 19, 0)
        assert not bangli.is_working_moment(evening)
        assert bangli.add_clock_hours(evening, 24) == wita(2025, 1, 11, 19, 0)
        monday = bangli.add_working_hours(evening, 1)
        assert monday == wita(2025, 1, 13, 8, 30)
        assert monday == dt.datetime(2025, 1, 13, 0, 30, tzinfo=UTC)

    def test_the_same_instant_is_evening_in_wita_but_afternoon_in_wib(self):
        instant = wita(2025, 1, 10, 17, 0)  # 16.00 WIB: still working time in Jakarta
        assert not bangli.is_working_moment(instant)
        assert WorkingCalendar(timezone="Asia/Jakarta").is_working_moment(instant)

    def test_friday_prayer_break_and_lunch_break(self):
        assert not bangli.is_working_moment(wita(2025, 1, 10, 12, 0))  # Friday 11.30-13.00
        assert not bangli.is_working_moment(wita(2025, 1, 9, 12, 30))  # Thursday 12.00-13.00
        assert bangli.is_working_moment(wita(2025, 1, 9, 11, 59))

    def test_weekly_total_is_37_and_a_half_hours(self):
        monday = wita(2025, 1, 13, 0, 0)
        assert bangli.working_hours_between(monday, monday + dt.timedelta(days=7)) == 37.5


class TestLocalDays:
    def test_a_local_holiday_closes_and_an_opened_day_opens(self):
        galungan = dt.date(2025, 4, 23)  # a Wednesday, closed in Bali
        cal = WorkingCalendar(
            timezone="Asia/Makassar",
            closed_days=frozenset({galungan}),
            open_days=frozenset({dt.date(2025, 4, 2)}),
        )
        assert bangli.is_working_day(galungan)
        assert not cal.is_working_day(galungan)
        assert cal.is_working_day(dt.date(2025, 4, 2))
        assert cal.add_working_days(wita(2025, 4, 22, 9, 0), 1) == wita(2025, 4, 24, 16, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        bangli.add_working_hours(dt.datetime(2025, 1, 1, 8, 0), 1)


def test_a_calendar_without_working_days_reports_misconfiguration():
    with pytest.raises(ValueError, match="three years"):
        WorkingCalendar(timezone="Asia/Jakarta", weekly={}).add_working_hours(wita(2025, 1, 1), 1)


instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(WITA)
)


@settings(max_examples=150, deadline=None)
@given(start=instants, minutes=st.integers(min_value=0, max_value=60 * 200))
def test_working_hours_added_are_the_working_hours_between(start, minutes):
    end = bangli.add_working_hours(start, minutes / 60)
    assert end >= start
    assert round(bangli.working_hours_between(start, end) * 60, 6) == minutes
    if minutes:
        assert bangli.is_working_moment(end - dt.timedelta(seconds=1))


@settings(max_examples=100, deadline=None)
@given(start=instants, days=st.integers(min_value=1, max_value=30))
def test_working_days_land_on_a_working_day_after_the_start(start, days):
    end = bangli.add_working_days(start, days).astimezone(WITA)
    assert end.date() > start.date()
    assert bangli.is_working_day(end.date())
    assert bangli.add_clock_hours(start, 24) - start == dt.timedelta(hours=24)


def test_working_hours_between_counts_across_more_than_three_years():
    calendar = WorkingCalendar(timezone="Asia/Jakarta")
    start = dt.datetime(2021, 1, 4, 8, 0, tzinfo=dt.UTC)
    one_year = calendar.working_hours_between(start, start.replace(year=2022))
    five_years = calendar.working_hours_between(start, start.replace(year=2026))
    assert 4 * one_year < five_years < 6 * one_year


def test_a_calendar_without_working_time_is_refused():
    calendar = WorkingCalendar(timezone="Asia/Jakarta", weekly={})
    with pytest.raises(ValueError, match="three years"):
        calendar.add_working_hours(dt.datetime(2025, 1, 6, 1, tzinfo=dt.UTC), 1)

"""Properties of the working-time helper over generated calendars (hypothesis).

Each case draws a Pemda zone (WIB, WITA, WIT), a weekly schedule (any days, any number of
intervals on a minute grid), local closed and opened days, and instants over four years with
the real national holidays and cuti bersama. `balai.core.tests.test_calendars` holds the worked
examples; these are the laws every clock in Balai relies on.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from balai.core.calendars import WorkingCalendar

ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
EPSILON = dt.timedelta(microseconds=1)


def _intervals(minutes: list[int]) -> tuple[tuple[dt.time, dt.time], ...]:
    cuts = sorted(set(minutes))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return tuple(
        (dt.time(a // 60, a % 60), dt.time(b // 60, b % 60))
        for a, b in zip(cuts[::2], cuts[1::2], strict=True)
    )


def weekly_hours(week) -> float:
    return sum(
        (b.hour * 60 + b.minute - a.hour * 60 - a.minute) / 60
        for intervals in week.values()
        for a, b in intervals
    )


weekly = st.dictionaries(
    st.integers(min_value=0, max_value=6),
    st.lists(st.integers(min_value=0, max_value=23 * 60 + 59), min_size=2, max_size=6).map(
        _intervals
    ),
    min_size=1,
).filter(lambda w: weekly_hours(w) >= 2)  # below that, 120 hours outrun the 3-year horizon
days_2025 = st.dates(min_value=dt.date(2024, 12, 1), max_value=dt.date(2026, 2, 1))


@st.composite
def calendars(draw):
    return WorkingCalendar(
        timezone=draw(st.sampled_from(ZONES)),
        weekly=draw(st.one_of(st.none(), weekly)) or WorkingCalendar("UTC").weekly,
        closed_days=frozenset(draw(st.lists(days_2025, max_size=20))),
        open_days=frozenset(draw(st.lists(days_2025, max_size=5))),
    )


instants = st.datetimes(
    min_value=dt.datetime(2024, 12, 1),
    max_value=dt.datetime(2026, 1, 31),
    timezones=st.sampled_from([dt.UTC, *map(ZoneInfo, ZONES)]),
)
minutes = st.integers(min_value=0, max_value=60 * 120)
PROPERTY = settings(max_examples=60, deadline=None)


def hours_of(m: int) -> float:
    return m / 60


@PROPERTY
@given(cal=calendars(), start=instants, m=minutes)
def test_adding_working_hours_then_counting_them_gives_them_back(cal, start, m):
    end = cal.add_working_hours(start, hours_of(m))
    assert end >= start
    assert end.utcoffset() == dt.timedelta(0)
    assert abs(cal.working_hours_between(start, end) - hours_of(m)) < 1e-6
    if m:
        # The deadline falls inside working time (the last instant counted is working).
        assert cal.is_working_moment(end - EPSILON)


@PROPERTY
@given(cal=calendars(), start=instants, a=minutes, b=minutes)
def test_working_hours_are_monotonic_and_additive(cal, start, a, b):
    first = cal.add_working_hours(start, hours_of(a))
    assert first <= cal.add_working_hours(start, hours_of(a + b))
    chained = cal.add_working_hours(first, hours_of(b))
    assert abs(chained - cal.add_working_hours(start, hours_of(a + b))) <= dt.timedelta(
        milliseconds=1
    )


@PROPERTY
@given(cal=calendars(), t1=instants, t2=instants, m=minutes)
def test_a_later_start_never_gives_an_earlier_deadline(cal, t1, t2, m):
    early, late = sorted([t1, t2])
    assert cal.add_working_hours(early, hours_of(m)) <= cal.add_working_hours(late, hours_of(m))
    # Counting is additive over any split point.
    middle = early + (late - early) / 2
    whole = cal.working_hours_between(early, late)
    parts = cal.working_hours_between(early, middle) + cal.working_hours_between(middle, late)
    assert abs(whole - parts) < 1e-6
    assert cal.working_hours_between(late, early) == 0.0  # never negative


@PROPERTY
@given(cal=calendars(), start=instants, m=minutes)
def test_the_start_zone_does_not_matter(cal, start, m):
    utc = start.astimezone(dt.UTC)
    local = start.astimezone(ZoneInfo(cal.timezone))
    assert cal.add_working_hours(utc, hours_of(m)) == cal.add_working_hours(local, hours_of(m))


@PROPERTY
@given(cal=calendars(), start=instants, days=st.integers(min_value=1, max_value=25))
def test_working_days_skip_holidays_and_count_exactly(cal, start, days):
    end = cal.add_working_days(start, days)
    local_end = end.astimezone(cal.tz)
    day = local_end.date()
    assert cal.is_working_day(day)
    assert cal.holiday_name(day) is None
    assert day not in cal.closed_days or day in cal.open_days
    # The close of that day's last interval.
    assert local_end.timetz().replace(tzinfo=None) == cal.weekly[day.weekday()][-1][1]
    first = start.astimezone(cal.tz).date()
    counted = sum(
        cal.is_working_day(first + dt.timedelta(days=n)) for n in range(1, (day - first).days + 1)
    )
    assert counted == days
    assume(days > 1)
    assert cal.add_working_days(start, days - 1) < end

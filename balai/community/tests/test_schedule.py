"""Weekly activities unfolded in the Pemda's zone, compared with UTC instants."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from balai.community.schedule import activities_clash, occurrences, occurrences_between, overlaps

WIT = ZoneInfo("Asia/Jayapura")  # UTC+9


def activity(**kw):
    values = {
        "weekdays": [0],
        "start_time": dt.time(7, 0),
        "end_time": dt.time(8, 0),
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": None,
    }
    values.update(kw)
    return SimpleNamespace(**values)


def test_monday_morning_in_wit_is_sunday_evening_in_utc():
    a = activity()  # Mondays 07.00-08.00 WIT = Sundays 22.00-23.00 UTC
    sunday_utc = dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC)  # a Sunday in UTC
    found = occurrences_between([a], sunday_utc, sunday_utc + dt.timedelta(hours=1), WIT)
    assert len(found) == 1
    assert found[0].starts_at == dt.datetime(2026, 12, 7, 7, 0, tzinfo=WIT)
    assert not occurrences_between(
        [a], sunday_utc - dt.timedelta(hours=2), sunday_utc - dt.timedelta(minutes=30), WIT
    )


def test_touching_is_not_overlapping():
    t = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    h = dt.timedelta(hours=1)
    assert not overlaps(t, t + h, t + h, t + 2 * h)
    assert overlaps(t, t + h, t + h - dt.timedelta(minutes=1), t + 2 * h)


def test_validity_period_bounds_occurrences():
    a = activity(weekdays=[4], valid_from=dt.date(2026, 12, 4), valid_until=dt.date(2026, 12, 11))
    days = [
        o.starts_at.date()
        for o in occurrences([a], dt.date(2026, 11, 1), dt.date(2027, 1, 31), WIT)
    ]
    assert days == [dt.date(2026, 12, 4), dt.date(2026, 12, 11)]


def test_activities_clash_only_on_shared_days_hours_and_periods():
    a = activity(weekdays=[0, 2])
    assert activities_clash(
        a, activity(weekdays=[2], start_time=dt.time(7, 30), end_time=dt.time(9, 0))
    )
    assert not activities_clash(a, activity(weekdays=[1]))
    assert not activities_clash(
        a, activity(weekdays=[0], start_time=dt.time(8, 0), end_time=dt.time(9, 0))
    )
    ended = activity(valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31))
    assert not activities_clash(a, ended)

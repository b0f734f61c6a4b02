"""Opening hours of a service point: night sessions, holidays, exceptions, time zones."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from balai.organizations import hours
from balai.organizations.choices import SessionKind
from balai.organizations.models import OpeningRule
from balai.organizations.services import (
    calendar_day_set,
    opening_exception_set,
    opening_rule_add,
    pemda_create,
)
from balai.regions.models import Region
from balai.regions.services import regions_import

from .builders import T, office

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
NIGHT, REGULAR = SessionKind.NIGHT, SessionKind.REGULAR


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def mpp(bontang):
    """Monday to Friday 08.00-15.00, and a night service on Monday 19.00-21.00 (WITA)."""
    return office(bontang, "64.74.02", night=[(0, T(19), T(21))])


# -- night service ----------------------------------------------------------------------------


def test_open_now_during_the_monday_night_session(mpp):
    assert hours.open_now(mpp, wita(2025, 6, 2, 19, 30)) == (True, NIGHT, wita(2025, 6, 2, 21))


def test_between_the_sessions_closed_until_the_night_one_starts(mpp):
    assert hours.open_now(mpp, wita(2025, 6, 2, 17, 0)) == (False, None, wita(2025, 6, 2, 19))


def test_the_end_of_a_session_is_closed_and_the_next_is_tuesday_morning(mpp):
    is_open, kind, until = hours.open_now(mpp, wita(2025, 6, 2, 21, 0))
    assert (is_open, kind) == (False, None)
    assert until == wita(2025, 6, 3, 8)


def test_a_server_in_another_zone_sees_the_same_answer(mpp):
    # 18.30 WIB (the server's TIME_ZONE) is 19.30 WITA in Bontang: the night session.
    at = dt.datetime(2025, 6, 2, 18, 30, tzinfo=WIB)
    is_open, kind, until = hours.open_now(mpp, at)
    assert (is_open, kind) == (True, NIGHT)
    assert until.tzinfo == WITA
    assert until.hour == 21


def test_intervals_are_aware_in_the_pemda_zone_and_in_order(mpp):
    intervals = hours.intervals_on(mpp, dt.date(2025, 6, 2))
    assert intervals == [
        (wita(2025, 6, 2, 8), wita(2025, 6, 2, 15), REGULAR),
        (wita(2025, 6, 2, 19), wita(2025, 6, 2, 21), NIGHT),
    ]
    assert all(start.tzinfo == WITA for start, _, _ in intervals)


def test_no_night_session_on_tuesday(mpp):
    assert [kind for _, _, kind in hours.intervals_on(mpp, dt.date(2025, 6, 3))] == [REGULAR]


def test_naive_datetimes_are_refused(mpp):
    with pytest.raises(ValueError, match="aware"):
        hours.open_now(mpp, dt.datetime(2025, 6, 2, 19, 30))


# -- holidays and exceptions ------------------------------------------------------------------

IDUL_FITRI_CUTI_BERSAMA = dt.date(2025, 4, 2)  # Wednesday, cuti bersama Idul Fitri 1446 H
CUTI_BERSAMA_MONDAY = dt.date(2025, 4, 7)  # Monday, cuti bersama as well


def test_closed_on_cuti_bersama_idul_fitri(mpp):
    assert hours.intervals_on(mpp, IDUL_FITRI_CUTI_BERSAMA) == []
    assert hours.open_now(mpp, wita(2025, 4, 2, 10))[0] is False


def test_a_holiday_closes_the_night_session_too(mpp):
    assert hours.intervals_on(mpp, CUTI_BERSAMA_MONDAY) == []
    assert hours.open_now(mpp, wita(2025, 4, 7, 19, 30))[0] is False


def test_an_open_exception_opens_a_holiday(mpp):
    opening_exception_set(
        actor=None,
        point=mpp,
        date=IDUL_FITRI_CUTI_BERSAMA,
        is_open=True,
        start=T(9),
        end=T(12),
        note="Layanan KTP-el terbatas",
    )
    assert hours.open_now(mpp, wita(2025, 4, 2, 10)) == (True, REGULAR, wita(2025, 4, 2, 12))
    assert hours.open_now(mpp, wita(2025, 4, 2, 13))[0] is False
    day = hours.week_schedule(mpp, IDUL_FITRI_CUTI_BERSAMA, days=1)[0]
    assert day.holiday is not None
    assert day.notes == ["Layanan KTP-el terbatas"]


def test_a_local_holiday_of_the_pemda_closes_too(bontang, mpp):
    calendar_day_set(
        actor=None, pemda=bontang, date=dt.date(2025, 6, 2), kind="closed", name="HUT Kota"
    )
    assert hours.intervals_on(mpp, dt.date(2025, 6, 2)) == []


def test_a_closed_exception_closes_only_its_session_kind(mpp):
    opening_exception_set(
        actor=None, point=mpp, date=dt.date(2025, 6, 2), is_open=False, session_kind=NIGHT
    )
    assert [kind for _, _, kind in hours.intervals_on(mpp, dt.date(2025, 6, 2))] == [REGULAR]


def test_a_closed_exception_with_hours_cuts_only_that_window(mpp):
    opening_exception_set(
        actor=None, point=mpp, date=dt.date(2025, 6, 3), is_open=False, start=T(11), end=T(13)
    )
    assert [(s.time(), e.time()) for s, e, _ in hours.intervals_on(mpp, dt.date(2025, 6, 3))] == [
        (T(8), T(11)),
        (T(13), T(15)),
    ]


def test_an_open_exception_on_a_working_day_extends_without_duplicating(mpp):
    opening_exception_set(
        actor=None, point=mpp, date=dt.date(2025, 6, 3), is_open=True, start=T(14), end=T(17)
    )
    assert hours.intervals_on(mpp, dt.date(2025, 6, 3)) == [
        (wita(2025, 6, 3, 8), wita(2025, 6, 3, 17), REGULAR)
    ]


def test_a_saturday_event_opens_a_weekend_day(mpp):
    opening_exception_set(
        actor=None,
        point=mpp,
        date=dt.date(2025, 6, 14),
        is_open=True,
        session_kind=SessionKind.EVENT,
        start=T(8),
        end=T(12),
    )
    assert hours.open_now(mpp, wita(2025, 6, 14, 9)) == (
        True,
        SessionKind.EVENT,
        wita(2025, 6, 14, 12),
    )


def test_rules_apply_only_within_their_period(bontang):
    point = office(bontang, "64.74.02", weekdays=())
    opening_rule_add(
        actor=None,
        point=point,
        weekday=2,
        start=T(8),
        end=T(14),
        valid_from=dt.date(2025, 3, 1),
        valid_until=dt.date(2025, 3, 29),  # Ramadan hours, both ends inclusive
    )
    assert hours.intervals_on(point, dt.date(2025, 2, 26)) == []
    assert len(hours.intervals_on(point, dt.date(2025, 3, 5))) == 1
    assert len(hours.intervals_on(point, dt.date(2025, 3, 26))) == 1
    assert hours.intervals_on(point, dt.date(2025, 4, 9)) == []


def test_a_point_without_rules_follows_the_pemda_working_hours(bontang):
    point = office(bontang, "64.74.02", weekdays=())
    assert not OpeningRule.objects.filter(point=point).exists()
    tuesday = hours.intervals_on(point, dt.date(2025, 6, 3))
    assert [(s.time(), e.time()) for s, e, _ in tuesday] == [(T(7, 30), T(12)), (T(13), T(16))]
    assert hours.intervals_on(point, dt.date(2025, 6, 7)) == []  # Saturday


# -- next opening -----------------------------------------------------------------------------


def test_next_opening_across_a_weekend(mpp):
    # Friday after closing: the next opening is Monday morning.
    assert hours.next_opening(mpp, wita(2025, 6, 13, 15, 30)) == (
        wita(2025, 6, 16, 8),
        wita(2025, 6, 16, 15),
        REGULAR,
    )


def test_next_opening_across_a_holiday_weekend_and_cuti_bersama(mpp):
    # Thursday 5 June 2025; Friday is Idul Adha, then the weekend, then Monday 9 June is
    # cuti bersama (the night session is closed as well): Tuesday morning.
    assert hours.next_opening(mpp, wita(2025, 6, 5, 16)) == (
        wita(2025, 6, 10, 8),
        wita(2025, 6, 10, 15),
        REGULAR,
    )


def test_next_opening_while_open_is_the_following_session(mpp):
    start, _, kind = hours.next_opening(mpp, wita(2025, 6, 2, 9))
    assert (start, kind) == (wita(2025, 6, 2, 19), NIGHT)


def test_no_opening_within_sixty_days_is_none(bontang):
    point = office(bontang, "64.74.02", weekdays=())
    opening_rule_add(
        actor=None,
        point=point,
        weekday=0,
        start=T(8),
        end=T(9),
        valid_until=dt.date(2025, 1, 6),
    )
    assert hours.next_opening(point, wita(2025, 1, 7, 0)) is None
    assert hours.open_now(point, wita(2025, 1, 7, 8, 30)) == (False, None, None)


# -- time zones -------------------------------------------------------------------------------


@pytest.fixture
def jayapura(db):
    regions_import(only="91.71")
    return pemda_create(actor=None, region=Region.objects.get(code="91.71"), seat_name="Jayapura")


def test_the_same_instant_is_open_in_wita_and_closed_in_wit(bontang, jayapura):
    """Both offices open 08.00-15.00 local time; the server runs on WIB."""
    assert (bontang.timezone, jayapura.timezone) == ("Asia/Makassar", "Asia/Jayapura")
    in_bontang = office(bontang, "64.74.02", "MPP Bontang")
    in_jayapura = office(jayapura, "91.71.01", "MPP Jayapura")

    afternoon = dt.datetime(2025, 6, 3, 6, 30, tzinfo=dt.UTC)  # 14.30 WITA, 15.30 WIT
    assert hours.open_now(in_bontang, afternoon)[0] is True
    assert hours.open_now(in_jayapura, afternoon)[0] is False

    morning = dt.datetime(2025, 6, 3, 23, 30, tzinfo=dt.UTC)  # Wed 07.30 WITA, 08.30 WIT
    assert hours.open_now(in_bontang, morning) == (False, None, wita(2025, 6, 4, 8))
    is_open, kind, until = hours.open_now(in_jayapura, morning)
    assert (is_open, kind) == (True, REGULAR)
    assert until == dt.datetime(2025, 6, 4, 15, tzinfo=WIT)


def test_week_schedule_flags_night_sessions_and_holidays(mpp):
    week = hours.week_schedule(mpp, dt.date(2025, 6, 2))
    assert [d.day.isoformat() for d in week][0::6] == ["2025-06-02", "2025-06-08"]
    assert [d.has_night_session for d in week] == [True, False, False, False, False, False, False]
    assert week[4].holiday is not None  # Friday 6 June: Idul Adha
    assert week[4].is_open is False


def test_a_shared_schedule_needs_no_query_per_day(mpp, django_assert_num_queries):
    schedule = hours.schedule_for(mpp)
    with django_assert_num_queries(0):
        days = schedule.week(dt.date(2025, 1, 1), 60)
        schedule.next_opening(wita(2025, 1, 1, 0))
    assert sum(len(d.intervals) for d in days) > 30

"""Pemda creation, its time zone by province, and its working calendar from the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from balai.core.models import AuditLog
from balai.organizations.choices import CalendarDayKind
from balai.organizations.models import WorkingHours
from balai.organizations.selectors import pemda_calendar
from balai.organizations.services import calendar_day_set, pemda_create
from balai.regions.choices import timezone_for_code
from balai.regions.models import Region


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("17.01", "Asia/Jakarta"),
        ("32.16", "Asia/Jakarta"),
        ("51.06", "Asia/Makassar"),
        ("64.74", "Asia/Makassar"),
        ("94.71", "Asia/Jayapura"),
        ("81.01", "Asia/Jayapura"),
    ],
)
def test_time_zone_from_the_province(code, zone):
    assert timezone_for_code(code) == zone


def test_pemda_create_sets_zone_hours_and_audit(bontang):
    assert bontang.timezone == "Asia/Makassar"
    assert bontang.slug == "bontang"
    assert WorkingHours.objects.filter(pemda=bontang).count() == 10
    assert AuditLog.objects.filter(pemda=bontang, action="pemda.create").count() == 1


def test_pemda_must_be_a_kabupaten_or_kota(bontang):
    with pytest.raises(ValueError, match="kabupaten"):
        pemda_create(actor=None, region=Region.objects.get(code="64.74.02"))


def test_calendar_from_the_database_includes_local_days(bontang, make_member):
    admin = make_member(bontang)
    hari_jadi = dt.date(2025, 7, 17)  # a Thursday
    calendar_day_set(
        actor=admin, pemda=bontang, date=hari_jadi, kind=CalendarDayKind.CLOSED, name="Hari jadi"
    )
    calendar = pemda_calendar(bontang)
    assert calendar.timezone == "Asia/Makassar"
    assert not calendar.is_working_day(hari_jadi)
    start = dt.datetime(2025, 7, 16, 15, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    assert calendar.add_working_hours(start, 2) == dt.datetime(
        2025, 7, 18, 8, 30, tzinfo=ZoneInfo("Asia/Makassar")
    )
    entry = AuditLog.objects.get(action="calendar.set")
    assert entry.actor == admin and entry.changes["name"] == "Hari jadi"

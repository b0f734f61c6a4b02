"""Public pages of service points: list, detail, hours as JSON and as iCalendar."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from balai.catalog.tests.builders import make_service, published
from balai.organizations.services import opening_exception_set

from .builders import T, office

WITA = ZoneInfo("Asia/Makassar")
MONDAY_NIGHT = dt.datetime(2025, 6, 2, 11, 30, tzinfo=dt.UTC)  # Monday 19.30 WITA


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(MONDAY_NIGHT, tick=False):
        yield


@pytest.fixture
def mpp(bontang):
    ktp = make_service(bontang)
    published(ktp, dt.date(2025, 1, 1))
    return office(
        bontang,
        "64.74.02",
        "Mal Pelayanan Publik Bontang",
        slug="mpp",
        services=[ktp],
        address="Jl. Moh. Roem, Bontang",
        lat=0.1372,
        lng=117.4994,
        night=[(0, T(19), T(21)), (2, T(19), T(21))],
    )


def get(client, name, *args):
    response = client.get(reverse(f"portal:{name}", args=args))
    assert response.status_code == 200, response.status_code
    return response


def test_point_page_shows_open_now_in_the_night_session(client, mpp):
    html = get(client, "point_detail", "bontang", "mpp").content.decode()
    assert "Buka sekarang" in html
    assert "Layanan malam" in html
    assert "sampai 21.00" in html  # Bontang's 21.00, not the server's (WIB) 20.00
    assert "Buka berikutnya" in html
    assert reverse("portal:service_detail", args=["bontang", "ktp-el"]) in html
    assert 'data-lat="0.1372"' in html
    assert "point-map.js" in html
    assert "Idul Adha" in html  # Friday 6 June, by its Indonesian name


def test_point_page_after_hours_is_closed_with_the_next_opening(client, mpp):
    with time_machine.travel(dt.datetime(2025, 6, 2, 14, tzinfo=dt.UTC), tick=False):
        html = get(client, "point_detail", "bontang", "mpp").content.decode()  # 22.00 WITA
    assert "Tutup" in html
    assert "Buka sekarang" not in html
    assert "Buka berikutnya: Selasa 3 Juni, 08.00" in html


def test_point_list_shows_each_office_open_or_closed(client, bontang, mpp):
    office(bontang, "64.74.01", "Kantor Kecamatan Bontang Utara", slug="kec-utara")
    html = get(client, "point_list", "bontang").content.decode()
    assert html.count("Buka sekarang") == 1
    assert html.count("Tutup") == 1
    assert "Kantor Kecamatan Bontang Utara" in html
    assert "buka Sel 3 Jun, 08.00" in html  # the closed one says when it opens


def test_point_pages_queries_do_not_grow(client, bontang, mpp):
    with CaptureQueriesContext(connection) as few_list:
        get(client, "point_list", "bontang")
    with CaptureQueriesContext(connection) as few_detail:
        get(client, "point_detail", "bontang", "mpp")
    for n in range(5):
        office(bontang, "64.74.01", f"Kantor {n}", night=[(1, T(19), T(21))])
        opening_exception_set(
            actor=None, point=mpp, date=dt.date(2025, 6, 3 + n), is_open=False, note=f"Rapat {n}"
        )
    with CaptureQueriesContext(connection) as many_list:
        get(client, "point_list", "bontang")
    with CaptureQueriesContext(connection) as many_detail:
        get(client, "point_detail", "bontang", "mpp")
    assert len(few_list) == len(many_list) <= 7
    assert len(few_detail) == len(many_detail) <= 8


def test_hours_json_lists_14_days_with_offsets(client, mpp):
    data = json.loads(get(client, "point_hours_json", "bontang", "mpp").content)
    assert data["timezone"] == "Asia/Makassar"
    assert data["open_now"] is True
    assert data["session"] == "night"
    assert data["until"] == "2025-06-02T21:00:00+08:00"
    assert len(data["days"]) == 14
    monday = data["days"][0]
    assert monday["date"] == "2025-06-02"
    assert monday["intervals"] == [
        {
            "start": "2025-06-02T08:00:00+08:00",
            "end": "2025-06-02T15:00:00+08:00",
            "session": "regular",
        },
        {
            "start": "2025-06-02T19:00:00+08:00",
            "end": "2025-06-02T21:00:00+08:00",
            "session": "night",
        },
    ]
    friday = data["days"][4]
    assert friday["intervals"] == []
    assert friday["holiday"]  # Idul Adha
    for day in data["days"]:
        for interval in day["intervals"]:
            start = dt.datetime.fromisoformat(interval["start"])
            assert start.utcoffset() == dt.timedelta(hours=8)


def test_hours_ics_parses_with_one_event_per_interval(client, mpp):
    response = get(client, "point_hours_ics", "bontang", "mpp")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    timezones = cal.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Makassar"]
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts[0] == dt.datetime(2025, 6, 2, 8, tzinfo=WITA)
    assert starts[-1].date() <= dt.date(2025, 8, 1)
    assert all(e["DTSTART"].params["TZID"] == "Asia/Makassar" for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    nights = [e for e in events if e.decoded("DTSTART").hour == 19]
    assert nights
    assert all("malam" in str(e["SUMMARY"]).lower() for e in nights)
    # Holidays have no events: Idul Adha (6 June) and cuti bersama (9 June).
    days = {e.decoded("DTSTART").date() for e in events}
    assert dt.date(2025, 6, 6) not in days
    assert dt.date(2025, 6, 9) not in days
    assert dt.date(2025, 6, 10) in days


def test_unknown_or_inactive_points_are_404(client, mpp):
    assert client.get(reverse("portal:point_detail", args=["bontang", "nope"])).status_code == 404
    mpp.is_active = False
    mpp.save()
    assert (
        client.get(reverse("portal:point_hours_json", args=["bontang", "mpp"])).status_code == 404
    )


def test_point_page_links_its_community_calendar_only_when_it_has_spaces(client, mpp):
    from balai.community.models import Space

    calendar = reverse("portal:community_calendar", args=[mpp.pemda.slug, mpp.slug])
    assert calendar not in get(client, "point_detail", mpp.pemda.slug, mpp.slug).text
    Space.objects.create(pemda=mpp.pemda, point=mpp, name="Aula", capacity=80)
    assert calendar in get(client, "point_detail", mpp.pemda.slug, mpp.slug).text

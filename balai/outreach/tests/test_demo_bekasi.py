"""Bekasi acceptance: the Botram demo's events fall on Saturdays (kecamatan) and on Tuesdays and
Thursdays (villages), never on a holiday; the iCal feed matches the published events."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from icalendar import Calendar

from balai.core.calendars import national_holidays
from balai.devtools.demo_outreach import demo_bekasi_botram
from balai.outreach.models import Event, PlanRun
from balai.visits.models import Visit


@pytest.fixture
def botram(bekasi):
    return demo_bekasi_botram(bekasi, random.Random(7))


def test_botram_dates(botram):
    kecamatan, village = botram["kecamatan"], botram["village"]
    first = list(Event.objects.filter(program=kecamatan).order_by("date")[:3])
    assert [(e.date, e.venue.name) for e in first] == [
        (dt.date(2024, 7, 13), "Tarumajaya"),
        (dt.date(2024, 7, 20), "Muaragembong"),
        (dt.date(2024, 7, 27), "Setu"),
    ]
    start = Event.objects.filter(program=village).order_by("date").first()
    assert (start.date, start.venue.name, start.venue.parent.name) == (
        dt.date(2024, 7, 9),
        "Ciantra",
        "Cikarang Selatan",
    )
    holidays = set(national_holidays(2024))
    k_days = list(Event.objects.filter(program=kecamatan).values_list("date", flat=True))
    v_days = list(Event.objects.filter(program=village).values_list("date", flat=True))
    assert len(k_days) == 23  # every kecamatan of Kabupaten Bekasi in 2024
    assert len(v_days) > 40
    assert all(d.weekday() == 5 for d in k_days)
    assert all(d.weekday() in (1, 3) for d in v_days)
    assert not holidays & (set(k_days) | set(v_days))
    assert dt.date(2024, 8, 17) not in k_days  # Hari Kemerdekaan, a Saturday
    # Two village events a week at most, one per kecamatan per week.
    weeks = {}
    for event in Event.objects.filter(program=village).select_related("venue"):
        weeks.setdefault(event.date.isocalendar()[:2], []).append(event.venue.parent_id)
    assert all(len(v) <= 2 and len(v) == len(set(v)) for v in weeks.values())
    assert PlanRun.objects.filter(status="done").count() == 2
    assert set(PlanRun.objects.values_list("solver_status", flat=True)) == {"optimal"}


def test_botram_visits_and_idempotence(botram, bekasi):
    visits = Visit.objects.filter(pemda=bekasi, session_kind="event")
    held = Event.objects.filter(pemda=bekasi, status="held")
    assert held.count() >= 4 + 6
    assert visits.count() > 1000
    assert {v.visited_at.date() for v in visits} <= {e.date for e in held} | {
        e.date + dt.timedelta(days=1) for e in held
    }
    before = (
        Event.objects.count(),
        visits.count(),
        PlanRun.objects.count(),
        list(Event.objects.order_by("pk").values_list("pk", "date", "venue_id", "status")),
    )
    demo_bekasi_botram(bekasi, random.Random(7))
    after = (
        Event.objects.count(),
        visits.count(),
        PlanRun.objects.count(),
        list(Event.objects.order_by("pk").values_list("pk", "date", "venue_id", "status")),
    )
    assert before == after


def test_botram_ical_matches(client, botram, monkeypatch):
    from balai.outreach import views_public

    monkeypatch.setattr(views_public, "local_today", lambda pemda: dt.date(2024, 10, 1))
    village = botram["village"]
    cal = Calendar.from_ical(
        client.get(reverse("portal:outreach_ical", args=["bekasi", village.slug])).content
    )
    items = {str(c["UID"]): c for c in cal.walk("VEVENT")}
    since = dt.date(2024, 10, 1) - dt.timedelta(days=views_public.FEED_PAST_DAYS)
    events = Event.objects.filter(program=village, published=True, date__gte=since)
    assert len(items) == events.count() > 10
    for event in events.select_related("venue"):
        item = items[f"outreach-event-{event.pk}@bekasi.balai"]
        assert item.decoded("DTSTART").date() == event.date
        assert item.decoded("DTSTART").weekday() in (1, 3)
        assert str(item["SUMMARY"]) == f"Botram Masuk Desa: {event.venue.name}"


def test_event_page_counts_visits_received(
    client, botram, bekasi, make_member, django_assert_max_num_queries
):
    from balai.accounts.choices import Role
    from balai.outreach.selectors import requests_complaints_received, visits_received
    from balai.service_requests.models import ServiceRequest
    from balai.visits.models import Visit

    village = botram["village"]
    ciantra = Event.objects.get(program=village, date=dt.date(2024, 7, 9))
    count, services = visits_received(ciantra)
    logged = Visit.objects.filter(
        pemda=bekasi, session_kind="event", visited_at__date=dt.date(2024, 7, 9)
    ).count()
    # the simulated visits carry their event; every one of that day is Ciantra's
    assert count == logged == Visit.objects.filter(event=ciantra).count() > 0
    assert services[0][1] >= services[-1][1]
    filed = ServiceRequest.objects.filter(event=ciantra, channel="event").count()
    assert requests_complaints_received(ciantra) == (filed, 0)
    assert filed > 0
    client.force_login(make_member(bekasi, Role.LEADERSHIP))
    url = reverse("staff:outreach_event", args=["bekasi", ciantra.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as queries:
        page = client.get(url)
    assert f"{count} kunjungan".encode() in page.content
    assert f"{filed} permohonan".encode() in page.content
    # the page's queries do not grow with the rows received
    Visit.objects.filter(event__isnull=True, session_kind="event").update(event=ciantra)
    with django_assert_max_num_queries(len(queries)):
        client.get(url)


def test_recent_events_carry_what_was_received(client, botram, bekasi):
    from balai.outreach.selectors import events_public_recent
    from balai.service_requests.models import ServiceRequest
    from balai.visits.models import Visit

    ciantra = Event.objects.get(program=botram["village"], date=dt.date(2024, 7, 9))
    Event.objects.filter(pk=ciantra.pk).update(published=True)
    (recent,) = events_public_recent(
        pemda=bekasi, program=botram["village"], before=ciantra.date + dt.timedelta(days=1), limit=1
    )
    assert recent == ciantra
    assert recent.n_visits == Visit.objects.filter(event=ciantra).count() > 0
    assert recent.n_requests == ServiceRequest.objects.filter(event=ciantra).count() > 0
    assert recent.n_complaints == 0

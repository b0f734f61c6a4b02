"""Visits logged at an outreach event carry the event (issue #5): the logbook offers the Pemda's
events of the day, defaults to the only one, and an event of another Pemda is refused."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.organizations.services import pemda_create
from balai.outreach.models import Event, Program
from balai.regions.models import Region
from balai.visits import services as visit_services
from balai.visits.models import Visit

from .conftest import WITA

SATURDAY_MORNING = dt.datetime(2025, 6, 21, 9, 30, tzinfo=WITA)
DAY = SATURDAY_MORNING.date()


def _event(pemda, venue_code="64.74.02.1006", day=DAY, slug="keliling"):
    program, _new = Program.objects.get_or_create(
        pemda=pemda, slug=slug, defaults={"name": f"Layanan {slug}"}
    )
    return Event.objects.create(
        pemda=pemda, program=program, date=day, venue=Region.objects.get(code=venue_code)
    )


def _post(client, point, services, **extra):
    data = {
        "services": [services["ktp"].pk],
        "occupation": "nelayan",
        "village": "64.74.02.1006",
        "outcome": "served",
        "session_kind": "event",
        **extra,
    }
    return client.post(reverse("staff:visit_entry", args=[point.pemda.slug, point.slug]), data)


@pytest.fixture
def logged_in(client, front_office):
    client.force_login(front_office)
    return client


@time_machine.travel(SATURDAY_MORNING)
def test_the_only_event_of_the_day_is_preselected_and_set(logged_in, bontang, points, services):
    event = _event(bontang)
    _event(bontang, day=DAY + dt.timedelta(days=1))  # another day: not offered
    url = reverse("staff:visit_entry", args=[bontang.slug, points["tli"].slug])
    html = logged_in.get(url).text
    options = re.findall(r'<option value="(\d+)"[^>]*>[^<]*· Tanjung Laut Indah', html)
    assert options == [str(event.pk)]
    assert re.search(rf'<option value="{event.pk}" selected>', html)
    # the field left out of the post (a fast entry): the only event of the day is still set
    assert _post(logged_in, points["tli"], services).status_code == 302
    assert Visit.objects.get().event == event


@time_machine.travel(SATURDAY_MORNING)
def test_staff_choose_between_two_events_of_the_day(logged_in, bontang, points, services):
    first = _event(bontang)
    second = _event(bontang, venue_code="64.74.02", slug="kecamatan")
    html = logged_in.get(reverse("staff:visit_entry", args=[bontang.slug, points["tli"].slug])).text
    assert f'<option value="{first.pk}">' in html and f'<option value="{second.pk}">' in html
    assert _post(logged_in, points["tli"], services, event=second.pk).status_code == 302
    assert _post(logged_in, points["tli"], services).status_code == 302  # none chosen
    assert sorted((v.event_id or 0) for v in Visit.objects.all()) == [0, second.pk]


@time_machine.travel(SATURDAY_MORNING)
def test_no_event_outside_an_event_session(logged_in, bontang, points, services):
    event = _event(bontang)
    response = _post(logged_in, points["tli"], services, session_kind="regular", event=event.pk)
    assert response.status_code == 302
    assert Visit.objects.get().event is None


def test_an_event_of_another_pemda_is_refused(bontang, points, services, front_office):
    Region.objects.create(
        code="64.71", name="Kota Balikpapan", level=2, kind="kota", parent_id="64"
    )
    other = pemda_create(actor=None, region=Region.objects.get(code="64.71"), slug="balikpapan")
    foreign = Event.objects.create(
        pemda=other,
        program=Program.objects.create(pemda=other, slug="x", name="X"),
        date=DAY,
        venue=Region.objects.get(code="64.71"),
    )
    with pytest.raises(ValidationError) as error:
        visit_services.visit_log(
            actor=front_office,
            point=points["tli"],
            services=[services["ktp"]],
            occupation="nelayan",
            session_kind="event",
            visited_at=SATURDAY_MORNING,
            event=foreign,
        )
    assert "Pemda lain" in str(error.value)
    assert not Visit.objects.exists()

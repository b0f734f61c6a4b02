"""A service request filed at an outreach event carries the event, of the same Pemda only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from balai.outreach.models import Event, Program
from balai.outreach.selectors import requests_complaints_received
from balai.regions.models import Region
from balai.service_requests import services
from balai.service_requests.choices import Channel
from balai.service_requests.models import ServiceRequest

from .conftest import full

AT = dt.datetime(2025, 6, 21, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


def _event(pemda, venue):
    program = Program.objects.create(pemda=pemda, slug="keliling", name="Layanan keliling")
    return Event.objects.create(pemda=pemda, program=program, date=AT.date(), venue=venue)


def _submit(pemda, service, event):
    return services.service_request_submit(
        pemda=pemda,
        service=service,
        channel=Channel.EVENT,
        checklist=full(service.standards.get()),
        at=AT,
        event=event,
    )


def test_a_request_filed_at_an_event_is_counted_there(bontang, make_service):
    service = make_service(bontang)
    event = _event(bontang, Region.objects.get(code="64.74.02"))
    request = _submit(bontang, service, event)
    assert request.event == event and request.channel == Channel.EVENT
    assert requests_complaints_received(event) == (1, 0)


def test_an_event_of_another_pemda_is_refused(bontang, jayapura, make_service):
    service = make_service(bontang)
    foreign = _event(jayapura, Region.objects.get(code="91.71"))
    with pytest.raises(ValidationError) as error:
        _submit(bontang, service, foreign)
    assert "event" in error.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_the_counter_form_files_at_the_only_event_of_the_day(
    client, bontang, make_service, make_point, make_member
):
    from django.urls import reverse
    from django.utils import timezone

    from balai.accounts.choices import Role

    service = make_service(bontang)
    point = make_point(bontang, "kec-bontang-selatan", "64.74.02")
    today = timezone.now().astimezone(ZoneInfo(bontang.timezone)).date()
    program = Program.objects.create(pemda=bontang, slug="keliling", name="Layanan keliling")
    event = Event.objects.create(
        pemda=bontang, program=program, date=today, venue=Region.objects.get(code="64.74.02")
    )
    Event.objects.create(  # another day: not offered
        pemda=bontang,
        program=program,
        date=today + dt.timedelta(days=1),
        venue=Region.objects.get(code="64.74.02"),
    )
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    new = reverse("staff:service_request_new", args=[bontang.slug])
    form = client.get(new, {"service": service.pk}).context["form"]
    assert [value for value, _label in form.fields["event"].choices] == ["", str(event.pk)]
    data = {"service": service.pk, "point": point.pk, "requirements": []}
    assert client.post(new, {**data, "channel": Channel.COUNTER}).status_code == 302
    assert client.post(new, {**data, "channel": Channel.EVENT}).status_code == 302
    assert sorted((r.channel, r.event_id or 0) for r in ServiceRequest.objects.all()) == [
        (Channel.COUNTER, 0),
        (Channel.EVENT, event.pk),
    ]

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

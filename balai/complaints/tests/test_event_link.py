"""A complaint received at an outreach event carries the event, of the same Pemda only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balai.complaints import services as svc
from balai.complaints.choices import Channel
from balai.complaints.models import Complaint
from balai.organizations.services import pemda_create
from balai.outreach.models import Event, Program
from balai.outreach.selectors import requests_complaints_received
from balai.regions.models import Region

DAY = dt.date(2025, 6, 21)


def _event(pemda, venue):
    program = Program.objects.create(pemda=pemda, slug="keliling", name="Layanan keliling")
    return Event.objects.create(pemda=pemda, program=program, date=DAY, venue=venue)


def test_a_complaint_received_at_an_event_is_counted_there(bangli):
    event = _event(bangli, Region.objects.get(code="51.06"))
    for text in ("Jalan rusak", "Air mati"):
        complaint = svc.complaint_submit(
            pemda=bangli, channel=Channel.PHONE, description=text, event=event
        )
        assert complaint.event == event
    svc.complaint_submit(pemda=bangli, channel=Channel.PHONE, description="Lain")
    assert requests_complaints_received(event) == (0, 2)


def test_an_event_of_another_pemda_is_refused(bangli):
    Region.objects.create(
        code="51.99", name="Kabupaten Uji", level=2, kind="kabupaten", parent_id="51"
    )
    other = pemda_create(actor=None, region=Region.objects.get(code="51.99"), slug="uji")
    foreign = _event(other, Region.objects.get(code="51.99"))
    with pytest.raises(ValidationError) as error:
        svc.complaint_submit(
            pemda=bangli, channel=Channel.PHONE, description="Jalan rusak", event=foreign
        )
    assert "event" in error.value.message_dict
    assert not Complaint.objects.exists()

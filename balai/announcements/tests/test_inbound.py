"""WhatsApp "daftar" / "berhenti": subscriptions, not complaints; statuses update deliveries."""

import pytest

from balai.announcements import services
from balai.announcements.models import Delivery, Subscription
from balai.complaints.models import Complaint
from balai.messaging.models import OutboundMessage
from balai.messaging.tests.conftest import deliver, wa_message, wa_payload  # noqa: F401

from .conftest import TLI, add_contact, region

pytestmark = pytest.mark.django_db


def test_daftar_subscribes_and_berhenti_opts_out(wa_account, deliver, graph):  # noqa: F811
    deliver("whatsapp", wa_payload(wa_message("Daftar", sender="6281234567890")))
    sub = Subscription.objects.get()
    assert sub.phone == "+6281234567890" and sub.consent_method == "whatsapp"
    assert [a.code for a in sub.areas.all()] == ["64.74"]
    deliver("whatsapp", wa_payload(wa_message("daftar Tanjung Laut Indah", sender="6281234567890")))
    assert [a.code for a in Subscription.objects.get().areas.all()] == [TLI]
    deliver("whatsapp", wa_payload(wa_message("BERHENTI", sender="6281234567890")))
    assert Subscription.objects.get().opted_out_at is not None
    assert not Complaint.objects.exists()
    replies = list(OutboundMessage.objects.order_by("pk").values_list("text", flat=True))
    assert len(replies) == 3 and "berhenti" in replies[0]


def test_daftar_with_words_that_name_no_area_is_a_complaint(wa_account, deliver, graph):  # noqa: F811
    deliver("whatsapp", wa_payload(wa_message("daftar antrean KTP panjang sekali")))
    assert Complaint.objects.count() == 1 and not Subscription.objects.exists()


def test_berhenti_also_silences_a_contact(bontang, rts, wa_account, deliver, graph):  # noqa: F811
    contact = add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0])
    deliver("whatsapp", wa_payload(wa_message("stop", sender="6281211110001")))
    contact.refresh_from_db()
    assert contact.opted_out_at is not None


def test_whatsapp_statuses_update_deliveries(bontang, rts, wa_account, deliver, graph, commit):  # noqa: F811
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0])
    campaign = services.campaign_create(
        actor=None, pemda=bontang, title="T", body="B", regions=[region(TLI)]
    )
    with commit():
        services.campaign_send(actor=None, campaign=campaign)
    delivery = Delivery.objects.get()
    assert delivery.provider_message_id == "wamid.OUT1"
    statuses = [
        {"id": "wamid.OUT1", "status": "delivered", "timestamp": "1700000000"},
        {"id": "wamid.OUT1", "status": "read", "timestamp": "1700000060"},
    ]
    deliver("whatsapp", wa_payload(statuses=statuses))
    delivery.refresh_from_db()
    assert delivery.status == "read" and delivery.delivered_at and delivery.read_at

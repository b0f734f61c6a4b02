"""Sending: the outbox sends each message exactly once, with retries, rate limits, schedules
and cancellation; counted at the fake servers, not only in the database."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from balai.announcements import services
from balai.announcements.choices import CampaignStatus, Channel, DeliveryStatus
from balai.announcements.models import Delivery
from balai.announcements.sending import delivery_status_apply

from .conftest import TLI, add_contact, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(bontang):
    return services.campaign_create(
        actor=None,
        pemda=bontang,
        title="Layanan malam di kantor kelurahan",
        body="Kantor Kelurahan Tanjung Laut Indah buka Senin-Kamis pukul 19.00-21.00 WITA.",
        regions=[region(TLI)],
    )


def _send(commit, campaign):
    with commit():
        services.campaign_send(actor=None, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def test_failing_twice_then_succeeding_sends_each_message_exactly_once(
    bontang, rts, campaign, wa_account, graph, sms_gateway, commit
):
    add_contact(bontang, "Ketua RT 001", "0812-1111-0001", unit=rts["tli"][0])
    add_contact(bontang, "Ketua RT 002", "0812-1111-0002", unit=rts["tli"][1], channel="sms")
    graph.fail_next = 2
    sms_gateway.fail_next = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        campaign = _send(commit, campaign)
    assert campaign.status == CampaignStatus.SENDING
    assert graph.sent == [] and sms_gateway.received == []
    with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
        counts = services.campaigns_send_due()
    assert counts["retry"] == 2 and graph.sent == [] and sms_gateway.received == []
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        counts = services.campaigns_send_due()
    assert counts["sent"] == 2
    for minutes in (10, 60, 600):  # the sweep again and again: nothing more goes out
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            services.campaigns_send_due()
    # Counted at the servers: one WhatsApp template, one SMS, after five refused attempts.
    assert len(graph.message_posts()) == 3
    (wa,) = graph.sent
    assert wa["to"] == "6281211110001" and wa["type"] == "template"
    assert wa["template"]["name"] == "balai_pengumuman"
    params = wa["template"]["components"][0]["parameters"]
    assert params[0]["text"] == campaign.title
    assert params[2]["text"].endswith(f"/bontang/pengumuman/{campaign.pk}/")
    (sms,) = sms_gateway.received
    assert sms["to"] == "+6281211110002" and sms["text"].startswith(campaign.title)
    assert sms["reference"] == f"announcement-{campaign.pk}:sms:+6281211110002"
    rows = {d.channel: d for d in Delivery.objects.filter(campaign=campaign)}
    assert rows["whatsapp"].status == "sent" and rows["whatsapp"].attempts == 3
    assert rows["whatsapp"].provider_message_id == "wamid.OUT1"
    assert rows["sms"].status == "sent" and rows["sms"].provider_message_id == "sms-1"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT


def test_email_goes_through_django_mail(bontang, rts, campaign, commit):
    add_contact(
        bontang, "Lurah", region=region(TLI), email="lurah@example.com", channel=Channel.EMAIL
    )
    campaign = _send(commit, campaign)
    (message,) = mail.outbox
    assert message.to == ["lurah@example.com"] and message.subject == campaign.title
    assert f"/bontang/pengumuman/{campaign.pk}/" in message.body
    delivery = Delivery.objects.get()
    assert (
        delivery.status == "sent"
        and delivery.provider_message_id == message.extra_headers["Message-ID"]
    )
    assert campaign.status == CampaignStatus.SENT


def test_a_refusal_fails_at_once(bontang, rts, campaign, wa_account, graph, commit):
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0])
    graph.fail_next, graph.fail_status = 1, 400
    _send(commit, campaign)
    delivery = Delivery.objects.get()
    assert (
        delivery.status == "failed" and delivery.attempts == 1 and "HTTP 400" in delivery.last_error
    )
    assert graph.sent == []


def test_the_database_refuses_a_second_row_for_the_same_recipient(bontang, rts, campaign, commit):
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0], channel="sms")
    _send(commit, campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            campaign=campaign, channel="sms", address="+6281211110001", idempotency_key="other"
        )
    with pytest.raises(ValidationError):
        services.campaign_send(actor=None, campaign=campaign)


def test_the_rate_limit_holds_messages_for_the_next_window(
    settings, bontang, rts, campaign, wa_account, graph, commit
):
    settings.BALAI_ANNOUNCEMENT_RATES = {"whatsapp": "2/m"}
    for n, unit in enumerate(rts["tli"], start=1):
        add_contact(bontang, f"RT {n}", f"0812-1111-000{n}", unit=unit)
    start = timezone.now().replace(second=5)
    with time_machine.travel(start, tick=False):
        _send(commit, campaign)
    assert len(graph.sent) == 2
    assert Delivery.objects.get(status="queued").attempts == 0  # waiting costs no attempt
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        services.campaigns_send_due()
    assert len(graph.sent) == 3 and {m["to"] for m in graph.sent} == {
        "6281211110001",
        "6281211110002",
        "6281211110003",
    }


def test_a_scheduled_campaign_starts_at_its_time_and_a_cancelled_one_never(
    bontang, rts, campaign, bontang_second_campaign, commit
):
    add_contact(
        bontang,
        "RT 1",
        "0812-1111-0001",
        unit=rts["tli"][0],
        channel="email",
        email="rt1@example.com",
    )
    at = timezone.now() + dt.timedelta(hours=2)
    with commit():
        services.campaign_schedule(actor=None, campaign=campaign, at=at)
        services.campaign_schedule(actor=None, campaign=bontang_second_campaign, at=at)
    services.campaign_cancel(actor=None, campaign=bontang_second_campaign)
    call_command("announcements-send-due")
    assert mail.outbox == [] and not Delivery.objects.exists()
    with time_machine.travel(at + dt.timedelta(minutes=1)), commit():
        call_command("announcements-send-due")
    assert [m.subject for m in mail.outbox] == [campaign.title]
    campaign.refresh_from_db()
    bontang_second_campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.published_at is not None
    assert bontang_second_campaign.status == CampaignStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.campaign_cancel(actor=None, campaign=campaign)


@pytest.fixture
def bontang_second_campaign(bontang):
    return services.campaign_create(
        actor=None, pemda=bontang, title="Dibatalkan", body="Tidak jadi", regions=[region(TLI)]
    )


def test_statuses_update_the_delivery_and_never_go_back(
    bontang, rts, campaign, wa_account, graph, commit
):
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0])
    _send(commit, campaign)
    at = timezone.now()
    kw = {"channel": "whatsapp", "message_id": "wamid.OUT1"}
    assert delivery_status_apply(status="read", at=at, **kw)
    delivery_status_apply(status="delivered", at=at - dt.timedelta(seconds=5), **kw)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.READ
    assert delivery.read_at == at and delivery.delivered_at == at
    delivery_status_apply(status="failed", at=at, error="131026 undeliverable", **kw)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_error == "131026 undeliverable"

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
from balai.announcements.models import Delivery, Subscription
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


# -- opt-out honoured until the message goes out ----------------------------------------------
def test_opting_out_while_waiting_for_a_retry_cancels_the_message(
    bontang, rts, campaign, wa_account, graph, commit
):
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0])
    graph.fail_next = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _send(commit, campaign)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.next_attempt_at is not None
    assert len(graph.message_posts()) == 1 and graph.sent == []  # the refused first attempt
    # "berhenti" on WhatsApp (or the portal form) while the message waits for its retry
    services.subscriber_opt_out(pemda=bontang, phone="+62 812 1111 0001", via="whatsapp")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.last_error == "opted out before sending" and delivery.sent_at is None
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT  # nothing left to send
    for minutes in (1, 10, 60):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            services.campaigns_send_due()
    assert len(graph.message_posts()) == 1 and graph.sent == []


def test_opting_out_while_waiting_for_the_rate_limit_cancels_the_message(
    settings, bontang, rts, campaign, sms_gateway, commit
):
    settings.BALAI_ANNOUNCEMENT_RATES = {"sms": "1/m"}
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0], channel="sms")
    rt2 = add_contact(bontang, "RT 2", "0812-1111-0002", unit=rts["tli"][1], channel="sms")
    start = timezone.now().replace(second=5)
    with time_machine.travel(start, tick=False):
        _send(commit, campaign)
    assert [m["to"] for m in sms_gateway.received] == ["+6281211110001"]
    waiting = Delivery.objects.get(status=DeliveryStatus.QUEUED)
    assert waiting.contact_id == rt2.pk
    services.contact_opt_out(actor=None, contact=rt2)  # staff record the RT head's refusal
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.CANCELLED
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        services.campaigns_send_due()
    assert [m["to"] for m in sms_gateway.received] == ["+6281211110001"]  # one post only


def test_the_send_re_checks_opt_out_even_when_the_queue_was_not_cleaned(
    settings, bontang, rts, campaign, sms_gateway, commit
):
    """An opt-out written without cancelling (an older worker, a race with the campaign start,
    the other record of the same person) still stops the message at send time."""
    settings.BALAI_ANNOUNCEMENT_RATES = {"sms": "1/m"}
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0], channel="sms")
    add_contact(bontang, "RT 2", "0812-1111-0002", unit=rts["tli"][1], channel="sms")
    start = timezone.now().replace(second=5)
    with time_machine.travel(start, tick=False):
        _send(commit, campaign)
    assert len(sms_gateway.received) == 1
    # The same number is also a subscriber, who opted out: blocked everywhere in the Pemda.
    services.subscription_subscribe(pemda=bontang, areas=[region(TLI)], phone="081211110002")
    Subscription.objects.filter(phone="+6281211110002").update(opted_out_at=timezone.now())
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 1
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        counts = services.campaigns_send_due()
    assert counts["opted_out"] == 1 and counts["sent"] == 0
    assert len(sms_gateway.received) == 1  # counted at the fake gateway: nothing more
    row = Delivery.objects.get(address="+6281211110002")
    assert row.status == DeliveryStatus.CANCELLED and row.sent_at is None
    assert row.last_error == "opted out before sending"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT


# -- every text says how to stop --------------------------------------------------------------
OPT_OUT_PATH = "/bontang/pengumuman/berhenti/"


def test_the_sms_ends_with_the_opt_out_link_even_for_a_long_text(bontang, rts, sms_gateway, commit):
    long = services.campaign_create(
        actor=None,
        pemda=bontang,
        title="Layanan malam di kantor kelurahan Tanjung Laut Indah mulai bulan depan",
        body="Kantor kelurahan buka malam hari untuk warga yang bekerja siang. " * 12,
        regions=[region(TLI)],
    )
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0], channel="sms")
    _send(commit, long)
    (sms,) = sms_gateway.received
    text = sms["text"]
    assert len(text) <= 459
    assert text.startswith(long.title + "\n")
    lines = text.split("\n")
    assert lines[-2].endswith(f"/bontang/pengumuman/{long.pk}/")
    assert lines[-1].startswith("Berhenti: http") and lines[-1].endswith(OPT_OUT_PATH)
    assert lines[1].endswith("…")  # the summary was shortened, not the links


def test_the_email_has_list_unsubscribe_and_an_indonesian_footer(bontang, rts, campaign, commit):
    from django.utils import translation

    add_contact(
        bontang, "Lurah", region=region(TLI), email="lurah@example.com", channel=Channel.EMAIL
    )
    with translation.override("en"):  # the worker's language does not matter
        _send(commit, campaign)
    (message,) = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(OPT_OUT_PATH + ">")
    body = message.body
    assert "\n-- \n" in body
    footer = body.split("\n-- \n", 1)[1]
    assert "Anda menerima pengumuman Kota Bontang ini" in footer
    assert footer.strip().endswith("Untuk berhenti menerima: " + header[1:-1])
    assert message.message()["List-Unsubscribe"] == header  # in the sent headers


def test_the_whatsapp_template_keeps_its_three_parameters(
    bontang, rts, campaign, wa_account, graph, commit
):
    """The template's fixed text (approved by Meta) carries the "berhenti" instruction; the
    parameters stay title, summary, link."""
    add_contact(bontang, "RT 1", "0812-1111-0001", unit=rts["tli"][0])
    _send(commit, campaign)
    (wa,) = graph.sent
    params = [p["text"] for p in wa["template"]["components"][0]["parameters"]]
    assert len(params) == 3 and params[0] == campaign.title
    assert not any(OPT_OUT_PATH in p for p in params)

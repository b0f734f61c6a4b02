"""A worker killed in the middle of an announcement delivery: never two messages, never a silent
loss. Killed before the provider was called -> sent once, a little late; killed after it ->
"outcome unknown", shown on the reach page, never resent by the sweeps; staff decide (audited).
Counted at the fake WhatsApp and SMS servers."""

import datetime as dt

import pytest
from django.urls import reverse

from balai.accounts.choices import Role
from balai.announcements import sending, services
from balai.announcements.adapters import ADAPTERS
from balai.announcements.choices import CampaignStatus, DeliveryStatus
from balai.announcements.models import Delivery
from balai.core.models import AuditLog

from .conftest import TLI, add_contact, region

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause of the sender sees it."""


@pytest.fixture
def queued(bontang, rts, wa_account, graph, sms_gateway):
    """A campaign started (rows queued) whose delivery task has not run yet: one WhatsApp
    contact, one SMS contact."""
    add_contact(bontang, "Ketua RT 001", "0812-1111-0001", unit=rts["tli"][0])
    add_contact(bontang, "Ketua RT 002", "0812-1111-0002", unit=rts["tli"][1], channel="sms")
    campaign = services.campaign_create(
        actor=None, pemda=bontang, title="Layanan malam", body="Senin-Kamis", regions=[region(TLI)]
    )
    services.campaign_send(actor=None, campaign=campaign)  # no commit: the task does not run
    campaign.refresh_from_db()
    assert Delivery.objects.filter(campaign=campaign, status="queued").count() == 2
    return campaign


def _kill_every_send(deliveries, at):
    for delivery in deliveries:
        with pytest.raises(Killed):
            sending.delivery_send(delivery_id=delivery.pk, now=at)


def test_killed_before_the_provider_call_sends_once_after_the_claim_expires(
    queued, graph, sms_gateway, monkeypatch
):
    def die(*args, **kwargs):
        raise Killed

    start = dt.datetime.now(dt.UTC)
    with monkeypatch.context() as patch:
        patch.setattr(sending, "address_opted_out", die)  # runs after the claim
        _kill_every_send(list(Delivery.objects.filter(campaign=queued)), start)
    for row in Delivery.objects.filter(campaign=queued):
        assert row.status == "sending" and row.provider_called_at is None
    # Not stale yet: nobody touches it.
    counts = services.campaigns_send_due(now=start + dt.timedelta(minutes=1))
    assert counts["requeued"] == 0 and counts["sent"] == 0
    counts = services.campaigns_send_due(now=start + sending.STALE_SENDING * 2)
    assert counts["requeued"] == 2 and counts["sent"] == 2 and counts["unknown"] == 0
    for minutes in (60, 60 * 24, 60 * 48):
        services.campaigns_send_due(now=start + dt.timedelta(minutes=minutes))
    assert len(graph.sent) == 1 and len(sms_gateway.received) == 1
    assert all(
        d.status == "sent" and d.attempts == 2 and d.attempt_id is None
        for d in Delivery.objects.filter(campaign=queued)
    )
    queued.refresh_from_db()
    assert queued.status == CampaignStatus.SENT


def _kill_after_the_provider_accepted(monkeypatch):
    for channel, adapter in ADAPTERS.items():

        def send(message, real=adapter.send):
            real(message)
            raise Killed  # the answer is never recorded

        monkeypatch.setattr(ADAPTERS[channel], "send", send)


def test_killed_after_the_provider_call_is_unknown_and_never_resent_by_the_sweeps(
    queued, bontang, graph, sms_gateway, monkeypatch, client, admin, make_member, commit
):
    start = dt.datetime.now(dt.UTC)
    with monkeypatch.context() as patch:
        _kill_after_the_provider_accepted(patch)
        _kill_every_send(list(Delivery.objects.filter(campaign=queued)), start)
    assert len(graph.sent) == 1 and len(sms_gateway.received) == 1
    for row in Delivery.objects.filter(campaign=queued):
        assert row.status == "sending" and row.provider_called_at is not None
    counts = services.campaigns_send_due(now=start + dt.timedelta(minutes=1))
    assert counts["unknown"] == 0 and counts["requeued"] == 0
    counts = services.campaigns_send_due(now=start + sending.STALE_SENDING * 2)
    assert counts["unknown"] == 2 and counts["requeued"] == 0 and counts["sent"] == 0
    assert counts["unknown_total"] == 2
    for minutes in (60, 60 * 24, 60 * 48):  # a day later and more: nothing resent
        counts = services.campaigns_send_due(now=start + dt.timedelta(minutes=minutes))
        assert counts["sent"] == 0
        sending.campaign_deliver(campaign_id=queued.pk, now=start + dt.timedelta(minutes=minutes))
    assert len(graph.sent) == 1 and len(sms_gateway.received) == 1
    rows = {d.channel: d for d in Delivery.objects.filter(campaign=queued)}
    assert {d.status for d in rows.values()} == {DeliveryStatus.UNKNOWN}
    assert "may or may not" in rows["sms"].last_error
    queued.refresh_from_db()
    assert queued.status == CampaignStatus.SENDING  # not finished until staff decide

    # The reach page counts and lists them (in Indonesian); leadership sees, does not decide.
    reach = reverse("staff:announcement_reach", args=["bontang", queued.pk])
    client.force_login(make_member(bontang, Role.LEADERSHIP))
    page = client.get(reach).content.decode()
    assert "Hasil tidak diketahui: 2" in page and "+6281211110002" in page
    assert 'value="kirim"' not in page
    client.force_login(admin)
    page = client.get(reach).content.decode()
    assert 'value="kirim"' in page and 'value="terkirim"' in page
    detail = client.get(reverse("staff:announcement_detail", args=["bontang", queued.pk]))
    assert "2 pesan mungkin sudah atau belum sampai" in detail.content.decode()

    # The RT 001 head got the WhatsApp: marked sent, nothing sent.
    url = "staff:announcement_unknown_resolve"
    wa = reverse(url, args=["bontang", queued.pk, rows["whatsapp"].pk])
    with commit():
        assert client.post(wa, {"keputusan": "terkirim"}).status_code == 302
    # The RT 002 head did not get the SMS: sent again, once.
    sms = reverse(url, args=["bontang", queued.pk, rows["sms"].pk])
    with commit():
        assert client.post(sms, {"keputusan": "kirim"}).status_code == 302
    assert client.post(sms, {"keputusan": "kirim"}).status_code == 404  # decided already
    assert len(graph.sent) == 1 and len(sms_gateway.received) == 2
    rows = {d.channel: d for d in Delivery.objects.filter(campaign=queued)}
    assert rows["whatsapp"].status == "sent" and rows["whatsapp"].sent_at is not None
    assert rows["sms"].status == "sent" and rows["sms"].provider_message_id == "sms-2"
    actions = AuditLog.objects.filter(action__startswith="announcement.delivery_unknown")
    assert sorted(actions.values_list("action", flat=True)) == [
        "announcement.delivery_unknown_mark_sent",
        "announcement.delivery_unknown_resend",
    ]
    assert all(a.actor_id == admin.pk for a in actions)
    queued.refresh_from_db()
    assert queued.status == CampaignStatus.SENT
    services.campaigns_send_due(now=start + dt.timedelta(days=3))
    assert len(graph.sent) == 1 and len(sms_gateway.received) == 2
    assert "Hasil tidak diketahui: " not in client.get(reach).content.decode()


def test_an_sms_gateway_known_to_dedupe_gets_the_stalled_message_again(
    queued, graph, sms_gateway, monkeypatch, settings
):
    settings.BALAI_SMS_GATEWAY_DEDUPES = True
    start = dt.datetime.now(dt.UTC)
    with monkeypatch.context() as patch:
        _kill_after_the_provider_accepted(patch)
        _kill_every_send(list(Delivery.objects.filter(campaign=queued)), start)
    counts = services.campaigns_send_due(now=start + sending.STALE_SENDING * 2)
    assert counts["requeued"] == 1 and counts["unknown"] == 1  # SMS again, WhatsApp unknown
    # Sent again with the same reference: the gateway (said to) drop the repeat.
    assert [m["reference"] for m in sms_gateway.received] == [
        f"announcement-{queued.pk}:sms:+6281211110002"
    ] * 2
    assert len(graph.sent) == 1


def test_a_worker_whose_claim_was_swept_away_neither_calls_the_provider_nor_writes(
    queued, graph, sms_gateway, monkeypatch
):
    """A slow (not dead) worker: its claim expires, the sweep queues the row again and another
    worker sends it; when the slow one goes on, its lease is gone."""
    start = dt.datetime.now(dt.UTC)
    later = start + sending.STALE_SENDING * 2
    real = sending.address_opted_out
    calls = []

    def slow(pemda_id, address):
        calls.append(address)
        if len(calls) == 1:
            counts = services.campaigns_send_due(now=later)
            assert counts["requeued"] == 1 and counts["sent"] == 2
        return real(pemda_id, address)

    monkeypatch.setattr(sending, "address_opted_out", slow)
    sms = Delivery.objects.get(campaign=queued, channel="sms")
    assert sending.delivery_send(delivery_id=sms.pk, now=start) == "skipped"
    assert len(sms_gateway.received) == 1 and len(graph.sent) == 1
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.attempts == 2 and sms.provider_message_id == "sms-1"

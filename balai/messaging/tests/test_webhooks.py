"""The webhook endpoints: handshake, signatures, exactly-once storage, batches, bad payloads."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError

from balai.complaints.models import Complaint
from balai.messaging.models import InboundMessage, OutboundMessage
from balai.messaging.outbound import outbox_enqueue

from .conftest import MS_SECRET, WA_SECRET, ms_event, ms_payload, sign, wa_message, wa_payload

pytestmark = pytest.mark.django_db


# -- handshake --------------------------------------------------------------------------------
def test_handshake_answers_the_raw_challenge(client, wa_account):
    params = {"hub.mode": "subscribe", "hub.verify_token": "wa-verify-token"}
    response = client.get("/webhooks/whatsapp/", {**params, "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "wa-verify-token", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ],
)
def test_handshake_refuses_a_wrong_token_or_mode(client, wa_account, params):
    assert client.get("/webhooks/whatsapp/", params).status_code == 403


def test_handshake_does_not_accept_another_channels_token(client, wa_account, ms_account):
    params = {"hub.mode": "subscribe", "hub.verify_token": "wa-verify-token", "hub.challenge": "7"}
    assert client.get("/webhooks/messenger/", params).status_code == 403
    assert client.get("/webhooks/whatsapp/", params).status_code == 200


def test_handshake_ignores_inactive_accounts(client, wa_account):
    wa_account.is_active = False
    wa_account.save()
    params = {"hub.mode": "subscribe", "hub.verify_token": "wa-verify-token", "hub.challenge": "7"}
    assert client.get("/webhooks/whatsapp/", params).status_code == 403


# -- signatures -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "signature",
    [
        False,  # no header at all
        "sha256=" + "0" * 64,
        "sha1=abc",
        "",
        "sha256=ÿÿ",
    ],
)
def test_missing_or_forged_signature_is_refused_and_stores_nothing(deliver, wa_account, signature):
    response = deliver("whatsapp", wa_payload(wa_message()), signature=signature)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0
    assert Complaint.objects.count() == 0


def test_signature_with_another_apps_secret_is_refused(deliver, wa_account, ms_account):
    response = deliver("whatsapp", wa_payload(wa_message()), secret=MS_SECRET)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_signature_is_checked_over_the_raw_bytes(deliver, wa_account):
    body = json.dumps(wa_payload(wa_message())).encode()
    signature = sign(body, WA_SECRET)
    reformatted = json.dumps(json.loads(body), indent=2).encode()  # same JSON, other bytes
    assert deliver("whatsapp", reformatted, signature=signature).status_code == 403
    assert deliver("whatsapp", body, signature=signature).status_code == 200


# -- exactly once ------------------------------------------------------------------------------
def test_the_same_delivery_five_times_is_one_message_and_one_complaint(deliver, wa_account):
    payload = wa_payload(wa_message("Lampu jalan mati di Jl. Ahmad Yani"))
    for _ in range(5):
        assert deliver("whatsapp", payload).status_code == 200
    message = InboundMessage.objects.get()
    assert message.processed_at is not None
    complaint = Complaint.objects.get()
    assert message.complaint == complaint
    assert complaint.channel == "whatsapp"
    assert complaint.description == "Lampu jalan mati di Jl. Ahmad Yani"
    assert complaint.reporter_name == "Budi Santoso"
    assert complaint.reporter_phone == "+6281234567890"
    assert complaint.reporter_channel_id == "6281234567890"
    # One acknowledgement with the tracking code, however often Meta delivers.
    ack = OutboundMessage.objects.get()
    assert complaint.tracking_code in ack.text


def test_a_batch_stores_every_message_and_applies_statuses(deliver, wa_account, graph, commit):
    with commit():
        earlier = outbox_enqueue(
            pemda=wa_account.pemda,
            channel="whatsapp",
            recipient="6281111111111",
            text="Halo",
            idempotency_key="earlier",
        )
    earlier.refresh_from_db()
    assert earlier.external_id.startswith("wamid.")
    payload = wa_payload(wa_message("Satu", sender="6281111111111"))
    second = wa_payload(
        wa_message("Dua", sender="6282222222222"),
        wa_message("Tiga", sender="6283333333333"),
        statuses=[
            {
                "id": earlier.external_id,
                "status": "read",
                "timestamp": "1760000000",
                "recipient_id": "6281111111111",
            }
        ],
    )
    payload["entry"].append(second["entry"][0])
    assert deliver("whatsapp", payload).status_code == 200
    assert InboundMessage.objects.count() == 3
    assert Complaint.objects.count() == 3
    earlier.refresh_from_db()
    assert earlier.read_at is not None and earlier.delivered_at == earlier.read_at
    # A status is not a complaint, and a late "delivered" does not move the times back.
    status_only = wa_payload(
        statuses=[{"id": earlier.external_id, "status": "delivered", "timestamp": "1750000000"}]
    )
    assert deliver("whatsapp", status_only).status_code == 200
    assert Complaint.objects.count() == 3
    read_at = earlier.read_at
    earlier.refresh_from_db()
    assert earlier.read_at == read_at


def test_failed_status_marks_the_outbound_message_failed(deliver, wa_account, commit):
    with commit():
        sent = outbox_enqueue(
            pemda=wa_account.pemda,
            channel="whatsapp",
            recipient="6281111111111",
            text="Halo",
            idempotency_key="will-fail",
        )
    sent.refresh_from_db()
    payload = wa_payload(
        statuses=[
            {
                "id": sent.external_id,
                "status": "failed",
                "timestamp": "1760000000",
                "errors": [{"code": 131047, "title": "Re-engagement message"}],
            }
        ]
    )
    assert deliver("whatsapp", payload).status_code == 200
    sent.refresh_from_db()
    assert sent.status == "failed" and "Re-engagement" in sent.last_error


# -- bad payloads ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        json.dumps({"object": "page", "entry": []}).encode(),
        json.dumps({"object": "whatsapp_business_account", "entry": "x"}).encode(),
    ],
)
def test_signed_but_malformed_body_is_400_and_stores_nothing(deliver, wa_account, body):
    assert deliver("whatsapp", body).status_code == 400
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "whatsapp webhook malformed: the body is not JSON"),
        (b"[]", "whatsapp webhook malformed: not a whatsapp webhook"),
        (
            json.dumps({"object": "whatsapp_business_account", "entry": "x"}).encode(),
            "whatsapp webhook malformed: no entry list",
        ),
    ],
)
def test_signed_but_malformed_body_is_logged_with_the_reason(
    deliver, wa_account, caplog, body, reason
):
    with caplog.at_level(logging.WARNING, logger="balai.messaging.views"):
        assert deliver("whatsapp", body).status_code == 400
    (record,) = [r for r in caplog.records if r.name == "balai.messaging.views"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == reason
    assert "refused" not in record.getMessage()  # the signature was good: not a forgery


def test_only_malformed_messages_is_400(deliver, wa_account):
    broken = wa_message()
    del broken["from"]
    assert deliver("whatsapp", wa_payload(broken)).status_code == 400
    assert InboundMessage.objects.count() == 0


def test_a_malformed_message_does_not_lose_the_valid_ones(deliver, wa_account):
    broken = wa_message("rusak")
    broken["timestamp"] = "kemarin"
    response = deliver("whatsapp", wa_payload(wa_message("Baik"), broken))
    assert response.status_code == 200
    assert list(InboundMessage.objects.values_list("text", flat=True)) == ["Baik"]


def test_messages_for_an_unknown_number_are_skipped(deliver, wa_account):
    response = deliver("whatsapp", wa_payload(wa_message(), phone_number_id="999"))
    assert response.status_code == 200
    assert InboundMessage.objects.count() == 0


def test_a_demo_secret_cannot_speak_for_a_real_account(deliver, wa_account, monkeypatch):
    from balai.messaging.models import DEMO_APP_SECRET

    monkeypatch.delenv("BALAI_WHATSAPP_APP_SECRET")
    response = deliver("whatsapp", wa_payload(wa_message()), secret=DEMO_APP_SECRET)
    assert response.status_code == 403  # the Pemda is not a demo: no fallback secret
    assert InboundMessage.objects.count() == 0


def test_database_down_is_not_acknowledged(deliver, wa_account):
    with mock.patch(
        "balai.messaging.webhooks.InboundMessage.objects.create",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = deliver("whatsapp", wa_payload(wa_message()))
    assert response.status_code == 503
    assert InboundMessage.objects.count() == 0


def test_other_methods_are_not_allowed(client, wa_account):
    assert client.put("/webhooks/whatsapp/").status_code == 405


# -- Messenger ---------------------------------------------------------------------------------
def test_messenger_message_becomes_a_complaint_and_echoes_are_skipped(deliver, ms_account, graph):
    echo = ms_event("Terima kasih, laporan diterima", psid="1234567890")
    echo["message"]["is_echo"] = True
    delivery = {
        "sender": {"id": "6789012345"},
        "recipient": {"id": "1234567890"},
        "timestamp": 1760000000000,
        "delivery": {"mids": ["m_1"], "watermark": 1760000000000},
    }
    payload = ms_payload(ms_event("Sampah menumpuk di pasar"), echo, delivery)
    assert deliver("messenger", payload).status_code == 200
    message = InboundMessage.objects.get()
    assert message.text == "Sampah menumpuk di pasar"
    complaint = Complaint.objects.get()
    assert complaint.channel == "messenger"
    assert complaint.reporter_channel_id == "6789012345"
    assert complaint.reporter_phone == ""
    # The acknowledgement went out through the Send API to the PSID.
    (sent,) = graph.sent
    assert sent["from"] == "1234567890"
    assert sent["recipient"] == {"id": "6789012345"}
    assert sent["messaging_type"] == "RESPONSE"
    assert complaint.tracking_code in sent["message"]["text"]


def test_an_echo_alone_stores_nothing(deliver, ms_account):
    echo = ms_event("Balasan admin", psid="1234567890")
    echo["message"]["is_echo"] = True
    assert deliver("messenger", ms_payload(echo)).status_code == 200
    assert InboundMessage.objects.count() == 0

"""The webhooks' flood limit (1,200 requests a minute from one address, both channels together):
past it Meta gets a JSON 429 and nothing of the refused delivery is stored."""

import json

import pytest
import time_machine
from django.utils import timezone

from balai.complaints.models import Complaint
from balai.messaging.models import InboundMessage

from .conftest import MS_SECRET, WA_SECRET, ms_event, ms_payload, sign, wa_message, wa_payload

pytestmark = pytest.mark.django_db

LIMIT = 1200
MESSAGE = "Terlalu banyak permintaan. Silakan tunggu sebentar, lalu coba lagi."
WRONG_HANDSHAKE = {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}


def post(client, kind, payload, secret, **extra):
    body = json.dumps(payload).encode()
    return client.post(
        f"/webhooks/{kind}/",
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body, secret),
        **extra,
    )


def test_webhook_flood_answers_429_json_and_stores_nothing(
    client, wa_account, ms_account, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False):  # one rate window for the whole test
        for i in range(LIMIT):  # cheap refused handshakes still count, on both endpoints
            kind = "whatsapp" if i % 2 else "messenger"
            assert client.get(f"/webhooks/{kind}/", WRONG_HANDSHAKE).status_code == 403

        with django_capture_on_commit_callbacks(execute=True) as deferred:
            refused = post(client, "whatsapp", wa_payload(wa_message()), WA_SECRET)
            refused_ms = post(client, "messenger", ms_payload(ms_event()), MS_SECRET)
        for response in (refused, refused_ms):
            assert response.status_code == 429
            assert response["Content-Type"] == "application/json"
            assert response.json() == {"detail": MESSAGE}
            assert response["Retry-After"]
        assert not deferred  # no task was queued
        assert not InboundMessage.objects.exists()
        assert not Complaint.objects.exists()

        # Another address is not affected: its delivery is stored as usual.
        with django_capture_on_commit_callbacks(execute=True):
            ok = post(
                client, "whatsapp", wa_payload(wa_message()), WA_SECRET, REMOTE_ADDR="10.20.30.40"
            )
        assert ok.status_code == 200
        assert InboundMessage.objects.count() == 1

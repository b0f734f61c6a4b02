"""Meta delivering the same message many times at once (PostgreSQL only: real row locks)."""

import json
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client

from balai.complaints.clocks import complaint_settings
from balai.complaints.models import Complaint
from balai.complaints.services import complaint_submit
from balai.messaging.models import Conversation, InboundMessage

from .conftest import WA_SECRET, now_ts, sign, wa_message, wa_payload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent writers"
    ),
]


def post_together(bodies: list[bytes]) -> list[int]:
    """POST each body from its own thread (own client, own connection), all at once."""
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(body: bytes):
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                "/webhooks/whatsapp/",
                data=body,
                content_type="application/json",
                HTTP_X_HUB_SIGNATURE_256=sign(body, WA_SECRET),
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_twenty_concurrent_deliveries_store_one_message_and_one_complaint(wa_account):
    body = json.dumps(wa_payload(wa_message("Jembatan retak di Jl. Cipto"))).encode()
    statuses = post_together([body] * 20)
    assert statuses == [200] * 20
    message = InboundMessage.objects.get()
    assert message.processed_at is not None
    assert Complaint.objects.get().description == "Jembatan retak di Jl. Cipto"


def test_concurrent_messages_of_one_sender_make_one_conversation(wa_account):
    complaint_settings(wa_account.pemda)  # exists already: its creation does not serialize
    start = now_ts() - 600
    bodies = [
        json.dumps(wa_payload(wa_message(f"Bagian {n}", timestamp=start + n))).encode()
        for n in range(8)
    ]

    def slow_submit(**kwargs):  # widen the gap between "find a conversation" and "open one"
        time.sleep(0.2)
        return complaint_submit(**kwargs)

    with mock.patch("balai.messaging.services.complaint_submit", slow_submit):
        statuses = post_together(bodies)
    assert statuses == [200] * 8
    assert InboundMessage.objects.filter(processed_at__isnull=False).count() == 8
    assert Conversation.objects.count() == 1
    complaint = Complaint.objects.get()
    assert complaint.events.count() == 8  # received + 7 messages

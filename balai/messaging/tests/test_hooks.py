"""The extension points: the WhatsApp status signal and inbound commands of other apps."""

import pytest

from balai.complaints.models import Complaint
from balai.messaging import hooks
from balai.messaging.models import InboundMessage

from .conftest import wa_message, wa_payload

pytestmark = pytest.mark.django_db


def test_every_whatsapp_status_is_signalled(wa_account, deliver):
    seen = []

    def receiver(sender, account, update, **kwargs):
        seen.append((account.pk, update.message_id, update.status))

    hooks.whatsapp_status.connect(receiver)
    try:
        status = {"id": "wamid.X1", "status": "read", "timestamp": "1700000000"}
        response = deliver("whatsapp", wa_payload(statuses=[status]))
    finally:
        hooks.whatsapp_status.disconnect(receiver)
    assert response.status_code == 200
    assert seen == [(wa_account.pk, "wamid.X1", "read")]


def test_a_registered_command_is_not_a_complaint(wa_account, deliver, monkeypatch):
    calls = []

    def handler(message, run):
        if message.text.strip().lower() != "ping":
            return None
        if run:
            calls.append(message.pk)
        return "ping"

    monkeypatch.setattr(hooks, "_COMMANDS", [handler])
    deliver("whatsapp", wa_payload(wa_message("ping"), wa_message("Jalan rusak di RT 5")))
    ping = InboundMessage.objects.get(text="ping")
    assert calls == [ping.pk] and ping.processed_at is not None and ping.complaint is None
    assert Complaint.objects.count() == 1

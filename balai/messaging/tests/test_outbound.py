"""The outbox: idempotency keys, retries with backoff, nothing sent twice."""

import datetime as dt
import io
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from balai.messaging.models import OutboundMessage
from balai.messaging.outbound import (
    MAX_ATTEMPTS,
    STALE_SENDING,
    backoff,
    outbound_deliver,
    outbox_enqueue,
    outbox_retry,
)

from .conftest import PAGE_ID, PHONE_NUMBER_ID, WA_TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueue(commit):
    def run(pemda, key="key-1", channel="whatsapp", recipient="6281234567890", text="Halo"):
        with commit():
            message = outbox_enqueue(
                pemda=pemda, channel=channel, recipient=recipient, text=text, idempotency_key=key
            )
        message.refresh_from_db()
        return message

    return run


def test_a_message_is_sent_through_the_graph_api(enqueue, wa_account, graph):
    message = enqueue(wa_account.pemda, text="Pengaduan Anda diterima")
    assert message.status == "sent" and message.attempts == 1
    assert message.external_id == "wamid.OUT1"
    (post,) = graph.message_posts()
    assert post["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert post["authorization"] == f"Bearer {WA_TOKEN}"
    assert post["body"] == {
        "messaging_product": "whatsapp",
        "to": "6281234567890",
        "type": "text",
        "text": {"body": "Pengaduan Anda diterima"},
    }


def test_messenger_uses_the_send_api(enqueue, ms_account, graph):
    message = enqueue(ms_account.pemda, channel="messenger", recipient="6789012345")
    assert message.status == "sent" and message.external_id == "m_OUT1"
    (post,) = graph.message_posts()
    assert post["path"] == f"/v21.0/{PAGE_ID}/messages"
    assert post["body"] == {
        "recipient": {"id": "6789012345"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Halo"},
    }


def test_a_reused_idempotency_key_makes_one_row_and_one_send(enqueue, wa_account, graph):
    first = enqueue(wa_account.pemda, key="complaint-event-7")
    again = enqueue(wa_account.pemda, key="complaint-event-7", text="something else")
    assert first.pk == again.pk
    assert OutboundMessage.objects.count() == 1
    assert len(graph.sent) == 1 and again.text == "Halo"


def test_two_failures_then_success_delivers_exactly_once(enqueue, wa_account, graph):
    graph.fail_next = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        message = enqueue(wa_account.pemda)
    assert message.status == "queued" and message.attempts == 1
    assert message.next_attempt_at == start + backoff(1)
    assert "HTTP 500" in message.last_error

    # Not due yet: the retry command leaves it alone.
    assert outbox_retry(now=start + dt.timedelta(seconds=5))["sent"] == 0
    assert len(graph.message_posts()) == 1

    counts = outbox_retry(now=start + backoff(1))
    assert counts["retry"] == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == start + backoff(1) + backoff(2)

    counts = outbox_retry(now=message.next_attempt_at)
    assert counts["sent"] == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3 and message.last_error == ""

    assert outbox_retry(now=message.next_attempt_at or start + dt.timedelta(days=1))["sent"] == 0
    assert len(graph.message_posts()) == 3
    assert len(graph.sent) == 1  # exactly one message received


def test_gives_up_after_the_last_attempt(enqueue, wa_account, graph):
    graph.fail_next = 100
    message = enqueue(wa_account.pemda)
    moment = timezone.now()
    for _ in range(MAX_ATTEMPTS + 2):
        moment += dt.timedelta(days=1)
        outbox_retry(now=moment)
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == MAX_ATTEMPTS
    assert len(graph.message_posts()) == MAX_ATTEMPTS
    assert graph.sent == []


def test_a_refused_request_is_not_retried(enqueue, wa_account, graph):
    graph.fail_next, graph.fail_status = 1, 400
    message = enqueue(wa_account.pemda)
    assert message.status == "failed" and "HTTP 400" in message.last_error
    outbox_retry(now=timezone.now() + dt.timedelta(days=1))
    assert len(graph.message_posts()) == 1


def test_no_account_is_a_clear_failure(enqueue, bontang, graph):
    message = enqueue(bontang)
    assert message.status == "failed" and message.account is None
    assert "WhatsApp" in message.last_error
    assert graph.requests == []


def test_no_access_token_fails_without_calling(enqueue, wa_account, graph, monkeypatch):
    monkeypatch.delenv("BALAI_WHATSAPP_ACCESS_TOKEN")
    message = enqueue(wa_account.pemda)
    assert message.status == "failed" and "access token" in message.last_error
    assert graph.requests == []


def test_a_claimed_message_is_not_sent_by_a_second_worker(enqueue, wa_account, graph):
    graph.fail_next = 1
    message = enqueue(wa_account.pemda)  # failed once: queued again, due later
    OutboundMessage.objects.filter(pk=message.pk).update(status="sending")  # another worker
    later = timezone.now() + dt.timedelta(minutes=1)
    assert outbound_deliver(message_id=message.pk, now=later) == "skipped"
    assert outbox_retry(now=later)["sent"] == 0
    assert len(graph.message_posts()) == 1


def test_a_stalled_send_is_requeued(enqueue, wa_account, graph):
    graph.fail_next = 1
    message = enqueue(wa_account.pemda)
    claimed = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(status="sending", claimed_at=claimed)
    counts = outbox_retry(now=claimed + STALE_SENDING + dt.timedelta(seconds=1))
    assert counts["requeued"] == 1 and counts["sent"] == 1
    assert len(graph.sent) == 1


def test_retries_are_deferred_when_the_backend_can(enqueue, wa_account, graph):
    graph.fail_next = 2
    message = enqueue(wa_account.pemda)  # the immediate backend cannot defer: just queued
    deferred = mock.MagicMock()
    with (
        mock.patch("balai.messaging.outbound.default_task_backend") as backend,
        mock.patch("balai.messaging.tasks.deliver_outbound", deferred),
    ):
        backend.supports_defer = True
        assert outbound_deliver(message_id=message.pk, now=message.next_attempt_at) == "retry"
    message.refresh_from_db()
    deferred.using.assert_called_once_with(run_after=message.next_attempt_at)
    deferred.using.return_value.enqueue.assert_called_once_with(message.pk)


def test_the_outbox_retry_command(enqueue, wa_account, graph):
    graph.fail_next = 1
    enqueue(wa_account.pemda)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        call_command("outbox-retry", stdout=out)
    assert out.getvalue().startswith("1 sent")
    assert len(graph.sent) == 1


def test_the_notify_reporter_signature_is_kept(bontang):
    import inspect

    params = inspect.signature(outbox_enqueue).parameters
    assert all(p.kind == p.KEYWORD_ONLY for p in params.values())
    assert list(params) == ["pemda", "channel", "recipient", "text", "idempotency_key"]

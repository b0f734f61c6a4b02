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


# -- a worker that stopped in the middle of an attempt ------------------------------------------
def stall(message, *, handed_over: bool) -> dt.datetime:
    """What a worker killed during an attempt leaves: the row claimed ("sending"), with the
    hand-over mark when it had called Meta. Returns the claim time."""
    claimed = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending",
        claimed_at=claimed,
        attempts=message.attempts + 1,
        provider_called_at=claimed if handed_over else None,
    )
    return claimed


def test_a_stalled_send_handed_to_meta_is_never_resent_but_shown_to_staff(
    enqueue, wa_account, graph, client, commit
):
    from balai.accounts.models import User
    from balai.core.models import AuditLog

    graph.fail_next = 1
    message = enqueue(wa_account.pemda)  # failed once: queued again, due later
    claimed = stall(message, handed_over=True)
    later = claimed + STALE_SENDING + dt.timedelta(seconds=1)
    # Not stale yet: nobody touches it.
    assert outbox_retry(now=claimed + dt.timedelta(minutes=1))["unknown"] == 0
    counts = outbox_retry(now=later)
    assert counts["unknown"] == 1 and counts["sent"] == 0 and counts["unknown_total"] == 1
    message.refresh_from_db()
    assert message.status == "unknown" and "may or may not" in message.last_error
    # Neither the sweep, nor the delivery task run again, nor days later send it.
    assert outbound_deliver(message_id=message.pk, now=later) == "skipped"
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(later + dt.timedelta(days=2)):
        call_command("outbox-retry", stdout=out, stderr=err)
    assert "1 with an unknown outcome" in out.getvalue() and "WARNING" in err.getvalue()
    assert graph.sent == []

    # The staff outbox page (admin) says so, and staff decide after checking with the citizen.
    root = User.objects.create_superuser("root", password="x-rahasia-123")
    client.force_login(root)
    page = client.get("/admin/messaging/outboundmessage/")  # in Indonesian, as the UI is
    assert page.status_code == 200
    assert "1 pesan mungkin sudah atau belum sampai ke warga" in page.content.decode()
    with commit():
        response = client.post(
            "/admin/messaging/outboundmessage/",
            {"action": "resend_unknown", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent" and len(graph.sent) == 1
    assert AuditLog.objects.filter(action="outbound.unknown_resend").count() == 1
    page = client.get("/admin/messaging/outboundmessage/")
    assert "mungkin sudah atau belum" not in page.content.decode()


def test_an_unknown_message_the_citizen_got_is_marked_sent_without_sending(
    enqueue, wa_account, graph
):
    from balai.messaging.outbound import outbox_unknown_resolve

    graph.fail_next = 1
    message = enqueue(wa_account.pemda)
    claimed = stall(message, handed_over=True)
    outbox_retry(now=claimed + STALE_SENDING + dt.timedelta(seconds=1))
    message.refresh_from_db()
    assert outbox_unknown_resolve(actor=None, message=message, resend=False)
    assert not outbox_unknown_resolve(actor=None, message=message, resend=True)  # decided
    message.refresh_from_db()
    assert message.status == "sent"
    assert outbox_retry(now=claimed + dt.timedelta(days=1))["sent"] == 0
    assert graph.sent == []


def test_a_stalled_send_never_handed_to_meta_is_sent_by_the_task_run_again(
    enqueue, wa_account, graph
):
    graph.fail_next = 1
    message = enqueue(wa_account.pemda)
    claimed = stall(message, handed_over=False)
    # The task queued again by `tasks-reclaim` finishes it once the claim is stale.
    assert outbound_deliver(message_id=message.pk, now=claimed) == "skipped"
    assert outbound_deliver(message_id=message.pk, now=claimed + STALE_SENDING * 2) == "sent"
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3
    assert len(graph.sent) == 1


def test_a_worker_whose_claim_was_swept_away_does_not_call_meta(enqueue, wa_account, graph):
    from balai.messaging import outbound

    graph.fail_next = 1
    message = enqueue(wa_account.pemda)
    slow = timezone.now() + dt.timedelta(hours=1)
    attempt = outbound._claim(message.pk, slow)  # a slow worker claims, then stalls
    assert attempt is not None
    assert outbox_retry(now=slow + STALE_SENDING * 2)["sent"] == 1  # swept and sent
    message.refresh_from_db()
    with pytest.raises(outbound._LeaseLostError):  # the slow worker wakes up: it lost its lease
        outbound._send(message, attempt)
    assert len(graph.sent) == 1

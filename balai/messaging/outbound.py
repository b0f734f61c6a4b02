"""The outbox: texts to citizens on WhatsApp and Messenger, each sent at most once.

`outbox_enqueue` stores a row keyed by an idempotency key (a second call with the same key
returns the same row and sends nothing) and enqueues `deliver_outbound` on commit. Delivery
claims the row with a conditional UPDATE (queued and due -> sending), so two workers, a task and
`balai outbox-retry` never send the same row at once. A failure that may pass (network, HTTP 5xx,
rate limits) is retried with exponential backoff, at most `MAX_ATTEMPTS` times; a request Meta
refuses (HTTP 4xx) fails at once. A row left in "sending" by a crashed worker is queued again by
`balai outbox-retry` after `STALE_SENDING`: in that one case a text may arrive twice, since the
Graph API has no idempotency keys of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from .choices import ChannelKind, OutboundStatus
from .graph import GraphClient, GraphError
from .models import ChannelAccount, OutboundMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_FACTOR = 4  # 30 s, 2 min, 8 min, 32 min, about 2 h: inside WhatsApp's 24-hour window
STALE_SENDING = dt.timedelta(minutes=15)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the given number of failed attempts."""
    return BACKOFF_FIRST * BACKOFF_FACTOR ** max(attempts - 1, 0)


def outbox_enqueue(
    *, pemda, channel: str, recipient: str, text: str, idempotency_key: str
) -> OutboundMessage:
    """Queue a text for a citizen; the same idempotency key never makes a second row."""
    account = (
        ChannelAccount.objects.filter(pemda=pemda, kind=channel, is_active=True)
        .order_by("pk")
        .first()
    )
    defaults = {
        "pemda": pemda,
        "account": account,
        "channel": channel,
        "recipient": recipient,
        "text": text,
    }
    if account is None:
        defaults["status"] = OutboundStatus.FAILED
        defaults["last_error"] = _("This Pemda has no active %(channel)s account.") % {
            "channel": ChannelKind(channel).label if channel in ChannelKind.values else channel
        }
    message, created = OutboundMessage.objects.get_or_create(
        idempotency_key=idempotency_key, defaults=defaults
    )
    if created and message.status == OutboundStatus.QUEUED:
        transaction.on_commit(partial(_enqueue_delivery, message.pk), robust=True)
    return message


def _enqueue_delivery(message_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import deliver_outbound

    if run_after is not None:
        deliver_outbound.using(run_after=run_after).enqueue(message_id)
    else:
        deliver_outbound.enqueue(message_id)


def outbound_deliver(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Send one queued message if it is due: "sent", "retry", "failed" or "skipped"."""
    now = now or timezone.now()
    claimed = (
        OutboundMessage.objects.filter(pk=message_id, status=OutboundStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=OutboundStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    if not claimed:
        return "skipped"
    message = OutboundMessage.objects.select_related("account").get(pk=message_id)
    try:
        external_id = _send(message)
    except GraphError as exc:
        return _failed(message, str(exc), retriable=exc.retriable, now=now)
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.SENDING).update(
        status=OutboundStatus.SENT,
        external_id=external_id,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _send(message: OutboundMessage) -> str:
    account = message.account
    if account is None or not account.is_active:
        raise GraphError(_("The channel account is missing or inactive."), retriable=False)
    client = GraphClient(token=account.access_token())
    if account.kind == ChannelKind.WHATSAPP:
        return client.send_whatsapp_text(
            phone_number_id=account.external_id, to=message.recipient, body=message.text
        )
    return client.send_messenger_text(
        page_id=account.external_id, psid=message.recipient, text=message.text
    )


def _failed(message: OutboundMessage, error: str, *, retriable: bool, now: dt.datetime) -> str:
    rows = OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.SENDING)
    if not retriable or message.attempts >= MAX_ATTEMPTS:
        rows.update(status=OutboundStatus.FAILED, last_error=error[:1000], next_attempt_at=None)
        logger.warning("outbound %s failed for good: %s", message.pk, error)
        return "failed"
    next_at = now + backoff(message.attempts)
    rows.update(status=OutboundStatus.QUEUED, last_error=error[:1000], next_attempt_at=next_at)
    if default_task_backend.supports_defer:
        _enqueue_delivery(message.pk, run_after=next_at)
    return "retry"


def outbox_retry(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send everything due (and requeue rows a crashed worker left in "sending")."""
    now = now or timezone.now()
    requeued = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(status=OutboundStatus.QUEUED, next_attempt_at=now)
    due = (
        OutboundMessage.objects.filter(status=OutboundStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "requeued": requeued}
    for message_id in list(due):
        counts[outbound_deliver(message_id=message_id, now=now)] += 1
    return counts

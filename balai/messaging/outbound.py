"""The outbox: texts to citizens on WhatsApp and Messenger, each sent at most once.

`outbox_enqueue` stores a row keyed by an idempotency key (a second call with the same key
returns the same row and sends nothing) and enqueues `deliver_outbound` on commit. Delivery
claims the row with a conditional UPDATE (queued and due -> sending, with a fresh `attempt_id`
as the lease of this attempt), so two workers, a task and `balai outbox-retry` never send the
same row at once; every later update of the attempt requires that `attempt_id`. A failure that
may pass (network, HTTP 5xx, rate limits) is retried with exponential backoff, at most
`MAX_ATTEMPTS` times; a request Meta refuses (HTTP 4xx) fails at once.

A worker killed during an attempt leaves the row in "sending". Just before the Graph API is
called, `provider_called_at` is committed, which splits the attempt in two windows:

- killed before that point: Meta was never called, so once the claim is older than
  `STALE_SENDING` the row is queued again and sent (exactly once, a little late);
- killed after it: Meta may have accepted the text (the Graph API has no idempotency key, and
  its message id was not recorded), so the row becomes "unknown" and is never resent
  automatically; staff see it on the outbox admin page, check with the citizen and either
  send it again or mark it sent (`outbox_unknown_resolve`). Zero or one text, never two.

`outbox_stale_resolve` does this for `balai outbox-retry` and for a delivery task run again
after `balai tasks-reclaim`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from balai.core.audit import audit_record

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
    """Send one queued message if it is due: "sent", "retry", "failed", "unknown" or "skipped".

    A row left "sending" past `STALE_SENDING` (its worker died) is resolved first, so a task
    queued again by `balai tasks-reclaim` finishes the work its first run started.
    """
    now = now or timezone.now()
    attempt = _claim(message_id, now)
    if attempt is None:
        resolved = outbox_stale_resolve(now=now, message_id=message_id)
        if resolved["unknown"]:
            return "unknown"
        attempt = _claim(message_id, now) if resolved["requeued"] else None
        if attempt is None:
            return "skipped"
    message = OutboundMessage.objects.select_related("account").get(pk=message_id)
    try:
        external_id = _send(message, attempt)
    except _LeaseLostError:
        return "skipped"
    except GraphError as exc:
        return _failed(message, str(exc), retriable=exc.retriable, now=now, attempt=attempt)
    OutboundMessage.objects.filter(
        pk=message.pk, status=OutboundStatus.SENDING, attempt_id=attempt
    ).update(
        status=OutboundStatus.SENT,
        external_id=external_id,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _claim(message_id: int, now: dt.datetime) -> uuid.UUID | None:
    attempt = uuid.uuid4()
    claimed = (
        OutboundMessage.objects.filter(pk=message_id, status=OutboundStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=OutboundStatus.SENDING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            attempt_id=attempt,
            provider_called_at=None,
        )
    )
    return attempt if claimed else None


class _LeaseLostError(Exception):
    """The claim of this attempt was swept away (stale) before Meta was called."""


def _send(message: OutboundMessage, attempt: uuid.UUID) -> str:
    account = message.account
    if account is None or not account.is_active:
        raise GraphError(_("The channel account is missing or inactive."), retriable=False)
    client = GraphClient(token=account.access_token())
    if not client.token:
        raise GraphError("no access token is configured", retriable=False)
    # Committed (autocommit) before the request: from here on a dead worker means "unknown".
    handed_over = OutboundMessage.objects.filter(
        pk=message.pk, status=OutboundStatus.SENDING, attempt_id=attempt
    ).update(provider_called_at=timezone.now())
    if not handed_over:
        raise _LeaseLostError
    if account.kind == ChannelKind.WHATSAPP:
        return client.send_whatsapp_text(
            phone_number_id=account.external_id, to=message.recipient, body=message.text
        )
    return client.send_messenger_text(
        page_id=account.external_id, psid=message.recipient, text=message.text
    )


def _failed(
    message: OutboundMessage,
    error: str,
    *,
    retriable: bool,
    now: dt.datetime,
    attempt: uuid.UUID,
) -> str:
    rows = OutboundMessage.objects.filter(
        pk=message.pk, status=OutboundStatus.SENDING, attempt_id=attempt
    )
    if not retriable or message.attempts >= MAX_ATTEMPTS:
        rows.update(status=OutboundStatus.FAILED, last_error=error[:1000], next_attempt_at=None)
        logger.warning("outbound %s failed for good: %s", message.pk, error)
        return "failed"
    next_at = now + backoff(message.attempts)
    # The answer is known (an error): the next attempt starts without the hand-over mark.
    rows.update(
        status=OutboundStatus.QUEUED,
        last_error=error[:1000],
        next_attempt_at=next_at,
        provider_called_at=None,
    )
    if default_task_backend.supports_defer:
        _enqueue_delivery(message.pk, run_after=next_at)
    return "retry"


def outbox_stale_resolve(
    *, now: dt.datetime | None = None, message_id: int | None = None
) -> dict[str, int]:
    """Rows left "sending" past `STALE_SENDING` by a stopped worker: queued again when Meta was
    never called, "unknown" (for staff, never resent) when it was."""
    now = now or timezone.now()
    stale = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    )
    if message_id is not None:
        stale = stale.filter(pk=message_id)
    requeued = stale.filter(provider_called_at__isnull=True).update(
        status=OutboundStatus.QUEUED, next_attempt_at=now, attempt_id=None
    )
    unknown_ids = list(stale.filter(provider_called_at__isnull=False).values_list("pk", flat=True))
    unknown = OutboundMessage.objects.filter(
        pk__in=unknown_ids, status=OutboundStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(
        status=OutboundStatus.UNKNOWN,
        attempt_id=None,
        next_attempt_at=None,
        last_error=UNKNOWN_REASON,
    )
    if requeued:
        logger.warning("%d outbound message(s) stalled before sending were queued again", requeued)
    if unknown:
        logger.error(
            "%d outbound message(s) stalled after the provider was called (ids %s): outcome "
            "unknown, not resent; staff must check them on the outbox admin page",
            unknown,
            unknown_ids,
        )
    return {"requeued": requeued, "unknown": unknown}


UNKNOWN_REASON = (
    "The worker stopped after handing this message to Meta and before recording the answer: "
    "it may or may not have reached the citizen. It is not resent automatically."
)


def outbox_unknown_count(pemda=None) -> int:
    rows = OutboundMessage.objects.filter(status=OutboundStatus.UNKNOWN)
    if pemda is not None:
        rows = rows.filter(pemda=pemda)
    return rows.count()


def outbox_unknown_resolve(*, actor, message: OutboundMessage, resend: bool) -> bool:
    """Staff decision on an "unknown" row: send it again (the citizen did not get it) or
    mark it sent (they did). Returns False when the row was no longer "unknown"."""
    rows = OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.UNKNOWN)
    now = timezone.now()
    if resend:
        changed = rows.update(status=OutboundStatus.QUEUED, next_attempt_at=now)
    else:
        changed = rows.update(status=OutboundStatus.SENT, sent_at=now)
    if not changed:
        return False
    audit_record(
        actor=actor,
        action="outbound.unknown_resend" if resend else "outbound.unknown_mark_sent",
        target=message,
    )
    if resend:
        transaction.on_commit(partial(_enqueue_delivery, message.pk), robust=True)
    return True


def outbox_retry(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send everything due, after resolving rows a stopped worker left in "sending"."""
    now = now or timezone.now()
    resolved = outbox_stale_resolve(now=now)
    due = (
        OutboundMessage.objects.filter(status=OutboundStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "unknown": 0, **resolved}
    for message_id in list(due):
        counts[outbound_deliver(message_id=message_id, now=now)] += 1
    counts["unknown_total"] = outbox_unknown_count()
    return counts

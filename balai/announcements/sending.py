"""The announcement outbox: each delivery row sent at most once, with retries and rate limits.

A delivery is claimed with a conditional UPDATE (queued and due -> sending, with a fresh
`attempt_id` as the lease of this attempt), so a task, a second worker and `balai
announcements-send-due` never send the same row at once; every later update of the attempt
requires that `attempt_id`. The row is unique per (campaign, channel, address) in the database,
so a recipient is never queued twice. Failures that may pass (network, HTTP 5xx, 408/429) are
retried with the messaging outbox's backoff (30 s x 4^n, at most `MAX_ATTEMPTS`); a refusal
fails at once. Each channel has a rate per Pemda (`BALAI_ANNOUNCEMENT_RATES`, e.g.
{"whatsapp": "600/m"}): past it, a row waits for the next window without using an attempt.

A worker killed during an attempt leaves the row in "sending". Just before the provider is
called, `provider_called_at` is committed, which splits the attempt in two windows (the same
rule as the messaging outbox, `balai.messaging.outbound`):

- killed before that point: the provider was never called, so once the claim is older than
  `STALE_SENDING` the row is queued again and sent (exactly once, a little late);
- killed after it: the provider may have accepted the message and its id was not recorded. A
  WhatsApp template has no idempotency key and SMTP none either; the SMS gateway receives the
  key as `reference`, but Balai cannot know that it ignores a repeat (the test fake does not),
  so by default no channel is resent: the row becomes "unknown", shown with a count and a list
  on the campaign's reach page, where staff check with the recipient and either send it again
  or mark it sent (`delivery_unknown_resolve`, audited). Zero or one message, never two. A
  deployment whose SMS gateway is known to drop a repeated `reference` sets
  `BALAI_SMS_GATEWAY_DEDUPES = True`: stale SMS rows are then queued again instead.

An "unknown" row keeps its campaign "sending" (it is not finished until staff decide).

Opt-out is honoured until the last moment: a phone or e-mail opted out anywhere in the Pemda
(contact or subscription) is checked again just before each send, and opting out cancels the
address's queued rows at once (`deliveries_cancel_opted_out`); such a row ends "cancelled" with
the reason in `last_error` and is never sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from balai.core.audit import audit_record
from balai.core.ratelimit import hit, parse_rate
from balai.core.signals import pemda_data_changed_send
from balai.messaging.outbound import backoff

from .adapters import Outgoing, SendError, adapter_for
from .choices import CampaignStatus, DeliveryStatus
from .models import Campaign, Contact, Delivery, Subscription

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STALE_SENDING = dt.timedelta(minutes=15)
DEFAULT_RATES = {"whatsapp": "600/m", "sms": "60/m", "email": "120/m"}
SUMMARY_CHARS = 280
# Rows that keep the campaign "sending": still to send, or waiting for a staff decision.
OPEN = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN)
OPTED_OUT_REASON = "opted out before sending"
UNKNOWN_REASON = (
    "The worker stopped after handing this message to the provider and before recording the "
    "answer: it may or may not have arrived. It is not resent automatically."
)
OUTCOMES = ("sent", "retry", "failed", "throttled", "skipped", "opted_out")


def channel_dedupes(channel: str) -> bool:
    """Whether the provider drops a repeat of the same idempotency key, so a message whose
    outcome is unknown may simply be sent again. WhatsApp templates and e-mail cannot; the SMS
    gateway only when the deployment says its gateway honours `reference`."""
    return channel == "sms" and bool(getattr(settings, "BALAI_SMS_GATEWAY_DEDUPES", False))


def channel_rate(channel: str) -> str:
    rates = getattr(settings, "BALAI_ANNOUNCEMENT_RATES", None) or {}
    return rates.get(channel, DEFAULT_RATES[channel])


def public_base_url() -> str:
    return getattr(settings, "BALAI_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def campaign_public_url(campaign: Campaign) -> str:
    path = reverse("portal:announcement_detail", args=[campaign.pemda.slug, campaign.pk])
    return public_base_url() + path


def summary_of(text: str, limit: int = SUMMARY_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def opt_out_url(pemda) -> str:
    return public_base_url() + reverse("portal:announcement_opt_out", args=[pemda.slug])


def outgoing_for(delivery: Delivery) -> Outgoing:
    campaign = delivery.campaign
    return Outgoing(
        pemda_id=campaign.pemda_id,
        address=delivery.address,
        title=campaign.title,
        summary=summary_of(campaign.body),
        url=campaign_public_url(campaign),
        idempotency_key=delivery.idempotency_key,
        pemda_name=campaign.pemda.name,
        opt_out_url=opt_out_url(campaign.pemda),
    )


def address_opted_out(pemda_id: int, address: str) -> bool:
    """Whether a phone or e-mail is opted out of any contact or subscription of the Pemda (the
    targeting rule, asked again at send time)."""
    if not address:
        return False
    field = "email__iexact" if "@" in address else "phone"
    return any(
        model.objects.filter(
            pemda_id=pemda_id, opted_out_at__isnull=False, **{field: address}
        ).exists()
        for model in (Contact, Subscription)
    )


def deliveries_cancel_opted_out(*, pemda_id: int, addresses) -> int:
    """Cancel the queued deliveries of the Pemda to these addresses (an opt-out); rows being
    sent right now are not stopped, but re-check before they are sent (`delivery_send`)."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return 0
    rows = Delivery.objects.filter(
        campaign__pemda_id=pemda_id, status=DeliveryStatus.QUEUED, address__in=addresses
    )
    campaign_ids = set(rows.values_list("campaign_id", flat=True))
    cancelled = rows.update(
        status=DeliveryStatus.CANCELLED, last_error=OPTED_OUT_REASON, next_attempt_at=None
    )
    for campaign_id in sorted(campaign_ids):
        campaign_finish_if_done(campaign_id=campaign_id)
    return cancelled


def _due(now: dt.datetime) -> Q:
    return Q(status=DeliveryStatus.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one delivery if due: "sent", "retry", "failed", "throttled", "skipped" or
    "opted_out" (the address opted out since it was queued: cancelled, never sent)."""
    now = now or timezone.now()
    row = (
        Delivery.objects.filter(pk=delivery_id)
        .values("channel", "campaign_id", "campaign__pemda_id", "campaign__status")
        .first()
    )
    if row is None or row["campaign__status"] != CampaignStatus.SENDING:
        return "skipped"
    if not Delivery.objects.filter(_due(now), pk=delivery_id).exists():
        return "skipped"
    rate = channel_rate(row["channel"])
    if not hit("announce", f"{row['channel']}:{row['campaign__pemda_id']}", rate):
        _limit, window = parse_rate(rate)
        next_window = dt.datetime.fromtimestamp((time.time() // window + 1) * window, tz=dt.UTC)
        # Every due row of this campaign and channel waits for the next window (no attempt).
        Delivery.objects.filter(
            _due(now), campaign_id=row["campaign_id"], channel=row["channel"]
        ).update(next_attempt_at=next_window)
        return "throttled"
    attempt = uuid.uuid4()
    claimed = (
        Delivery.objects.filter(_due(now), pk=delivery_id)
        .filter(campaign__status=CampaignStatus.SENDING)
        .update(
            status=DeliveryStatus.SENDING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            attempt_id=attempt,
            provider_called_at=None,
        )
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("campaign__pemda").get(pk=delivery_id)
    mine = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.SENDING, attempt_id=attempt
    )
    if address_opted_out(row["campaign__pemda_id"], delivery.address):
        # Opted out since it was queued (e.g. while waiting for a retry or a rate window).
        return _cancel_opted_out(mine)
    # Committed (autocommit) before the request: from here on a dead worker means "unknown".
    if not mine.update(provider_called_at=timezone.now()):
        return "skipped"  # the claim was swept away meanwhile: the provider is not called
    try:
        provider_id = adapter_for(delivery.channel).send(outgoing_for(delivery))
    except SendError as exc:
        return _failed(mine, delivery, str(exc), retriable=exc.retriable, now=now)
    mine.update(
        status=DeliveryStatus.SENT,
        provider_message_id=provider_id[:255],
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
        attempt_id=None,
    )
    return "sent"


def _cancel_opted_out(rows) -> str:
    changed = rows.update(
        status=DeliveryStatus.CANCELLED,
        last_error=OPTED_OUT_REASON,
        next_attempt_at=None,
        attempt_id=None,
    )
    return "opted_out" if changed else "skipped"


def _failed(rows, delivery: Delivery, error: str, *, retriable: bool, now: dt.datetime) -> str:
    """`rows`: the delivery filtered on this attempt's lease."""
    if not retriable or delivery.attempts >= MAX_ATTEMPTS:
        rows.update(
            status=DeliveryStatus.FAILED,
            last_error=error[:1000],
            next_attempt_at=None,
            failed_at=timezone.now(),
            attempt_id=None,
        )
        logger.warning("announcement delivery %s failed for good: %s", delivery.pk, error)
        return "failed"
    # The answer is known (an error): the next attempt starts without the hand-over mark.
    rows.update(
        status=DeliveryStatus.QUEUED,
        last_error=error[:1000],
        next_attempt_at=now + backoff(delivery.attempts),
        provider_called_at=None,
        attempt_id=None,
    )
    return "retry"


def campaign_deliver(*, campaign_id: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every due delivery of one campaign (in order), then close it when none is open."""
    now = now or timezone.now()
    # A task run again after `balai tasks-reclaim` first settles what its first run left.
    deliveries_stale_resolve(now=now, campaign_id=campaign_id)
    counts = dict.fromkeys(OUTCOMES, 0)
    due = Delivery.objects.filter(_due(now), campaign_id=campaign_id).order_by("pk")
    for delivery_id in list(due.values_list("pk", flat=True)):
        # A throttled channel's rows wait for the next window; other channels go on.
        counts[delivery_send(delivery_id=delivery_id, now=now)] += 1
    _schedule_next(campaign_id, now)
    campaign_finish_if_done(campaign_id=campaign_id)
    return counts


def _schedule_next(campaign_id: int, now: dt.datetime) -> None:
    """With a queue that can defer, come back when the next row is due (else the sweep does)."""
    if not default_task_backend.supports_defer:
        return
    upcoming = (
        Delivery.objects.filter(campaign_id=campaign_id, status=DeliveryStatus.QUEUED)
        .order_by(F("next_attempt_at").asc(nulls_first=True))
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if (
        upcoming is None
        and not Delivery.objects.filter(
            campaign_id=campaign_id, status=DeliveryStatus.QUEUED
        ).exists()
    ):
        return
    from .tasks import deliver_campaign

    deliver_campaign.using(run_after=max(upcoming or now, now)).enqueue(campaign_id)


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """sending -> sent once no delivery is queued or sending."""
    if Delivery.objects.filter(campaign_id=campaign_id, status__in=OPEN).exists():
        return False
    return bool(
        Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, sent_at=timezone.now()
        )
    )


def deliveries_stale_resolve(
    *, now: dt.datetime | None = None, campaign_id: int | None = None
) -> dict[str, int]:
    """Rows left "sending" past `STALE_SENDING` by a stopped worker: queued again when the
    provider was never called (or dedupes by the idempotency key), "unknown" (for staff, never
    resent) when it was."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    )
    if campaign_id is not None:
        stale = stale.filter(campaign_id=campaign_id)
    safe = Q(provider_called_at__isnull=True)
    if channel_dedupes("sms"):
        safe |= Q(channel="sms")
    requeued = stale.filter(safe).update(
        status=DeliveryStatus.QUEUED, next_attempt_at=now, attempt_id=None, provider_called_at=None
    )
    unknown_ids = list(stale.values_list("pk", flat=True))  # what is left was handed over
    unknown = Delivery.objects.filter(
        pk__in=unknown_ids, status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(
        status=DeliveryStatus.UNKNOWN,
        attempt_id=None,
        next_attempt_at=None,
        last_error=UNKNOWN_REASON,
    )
    if requeued:
        logger.warning("%d announcement delivery(ies) stalled before sending requeued", requeued)
    if unknown:
        logger.error(
            "%d announcement delivery(ies) stalled after the provider was called (ids %s): "
            "outcome unknown, not resent; staff decide on the campaign's reach page",
            unknown,
            unknown_ids,
        )
    return {"requeued": requeued, "unknown": unknown}


def deliveries_retry(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Settle rows a stopped worker left in "sending", then send what is due everywhere."""
    now = now or timezone.now()
    resolved = deliveries_stale_resolve(now=now)
    totals = dict.fromkeys(OUTCOMES, 0)
    sending = Campaign.objects.filter(status=CampaignStatus.SENDING).order_by("pk")
    for campaign_id in list(sending.values_list("pk", flat=True)):
        for key, value in campaign_deliver(campaign_id=campaign_id, now=now).items():
            totals[key] += value
    totals.update(resolved)
    totals["unknown_total"] = Delivery.objects.filter(status=DeliveryStatus.UNKNOWN).count()
    return totals


def delivery_unknown_resolve(*, actor, delivery: Delivery, resend: bool) -> bool:
    """Staff decision on an "unknown" row, after checking with the recipient: send it again
    (they did not get it) or mark it sent (they did). False when it was no longer unknown."""
    rows = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.UNKNOWN)
    now = timezone.now()
    with transaction.atomic():
        if resend:
            changed = rows.update(
                status=DeliveryStatus.QUEUED,
                next_attempt_at=now,
                provider_called_at=None,
                last_error="",
            )
        else:
            changed = rows.update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
        if not changed:
            return False
        audit_record(
            actor=actor,
            action=(
                "announcement.delivery_unknown_resend"
                if resend
                else "announcement.delivery_unknown_mark_sent"
            ),
            target=delivery.campaign,
            changes={"delivery": delivery.pk, "channel": delivery.channel},
        )
        if resend:
            transaction.on_commit(partial(_enqueue_campaign, delivery.campaign_id), robust=True)
        else:
            campaign_finish_if_done(campaign_id=delivery.campaign_id)
    return True


def _enqueue_campaign(campaign_id: int) -> None:
    from .tasks import deliver_campaign

    deliver_campaign.enqueue(campaign_id)


# -- statuses from the channel ----------------------------------------------------------------
def delivery_status_apply(
    *,
    channel: str,
    message_id: str,
    status: str,
    at: dt.datetime,
    error: str = "",
    pemda_id: int | None = None,
) -> int:
    """A provider's status for one of our messages (sent, delivered, read, failed).

    Statuses may come late, twice or out of order: each timestamp is set once, "read" implies
    "delivered", and a status never goes back (read stays read when "delivered" comes later).
    """
    rows = Delivery.objects.filter(channel=channel, provider_message_id=message_id)
    if pemda_id is not None:
        rows = rows.filter(campaign__pemda_id=pemda_id)
    changed = 0
    if status in ("sent", "delivered", "read"):
        changed += rows.filter(sent_at__isnull=True).update(sent_at=at)
    if status in ("delivered", "read"):
        changed += rows.filter(delivered_at__isnull=True).update(delivered_at=at)
        changed += rows.filter(status=DeliveryStatus.SENT).update(status=DeliveryStatus.DELIVERED)
    if status == "read":
        changed += rows.filter(read_at__isnull=True).update(read_at=at)
        changed += rows.filter(status__in=(DeliveryStatus.SENT, DeliveryStatus.DELIVERED)).update(
            status=DeliveryStatus.READ
        )
    if status == "failed":
        changed += rows.exclude(status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.FAILED,
            failed_at=at,
            last_error=(error or "failed (status from the channel)")[:1000],
        )
    if changed:
        pemda_data_changed_send(rows.values_list("campaign__pemda_id", flat=True).distinct())
    return changed

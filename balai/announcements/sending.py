"""The announcement outbox: each delivery row sent at most once, with retries and rate limits.

A delivery is claimed with a conditional UPDATE (queued and due -> sending), so a task, a
second worker and `balai announcements-send-due` never send the same row at once; the row is
unique per (campaign, channel, address) in the database, so a recipient is never queued twice.
Failures that may pass (network, HTTP 5xx, 408/429) are retried with the messaging outbox's
backoff (30 s x 4^n, at most `MAX_ATTEMPTS`); a refusal fails at once. Each channel has a rate
per Pemda (`BALAI_ANNOUNCEMENT_RATES`, e.g. {"whatsapp": "600/m"}): past it, a row waits for
the next window without using an attempt. A row left in "sending" by a crashed worker is
queued again after `STALE_SENDING` (only then may a message arrive twice).

Opt-out is honoured until the last moment: a phone or e-mail opted out anywhere in the Pemda
(contact or subscription) is checked again just before each send, and opting out cancels the
address's queued rows at once (`deliveries_cancel_opted_out`); such a row ends "cancelled" with
the reason in `last_error` and is never sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

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
OPEN = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
OPTED_OUT_REASON = "opted out before sending"
OUTCOMES = ("sent", "retry", "failed", "throttled", "skipped", "opted_out")


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
    claimed = (
        Delivery.objects.filter(_due(now), pk=delivery_id)
        .filter(campaign__status=CampaignStatus.SENDING)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("campaign__pemda").get(pk=delivery_id)
    if address_opted_out(row["campaign__pemda_id"], delivery.address):
        # Opted out since it was queued (e.g. while waiting for a retry or a rate window).
        return _cancel_opted_out(
            Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING)
        )
    try:
        provider_id = adapter_for(delivery.channel).send(outgoing_for(delivery))
    except SendError as exc:
        return _failed(delivery, str(exc), retriable=exc.retriable, now=now)
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT,
        provider_message_id=provider_id[:255],
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _cancel_opted_out(rows) -> str:
    changed = rows.update(
        status=DeliveryStatus.CANCELLED, last_error=OPTED_OUT_REASON, next_attempt_at=None
    )
    return "opted_out" if changed else "skipped"


def _failed(delivery: Delivery, error: str, *, retriable: bool, now: dt.datetime) -> str:
    rows = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if not retriable or delivery.attempts >= MAX_ATTEMPTS:
        rows.update(
            status=DeliveryStatus.FAILED,
            last_error=error[:1000],
            next_attempt_at=None,
            failed_at=timezone.now(),
        )
        logger.warning("announcement delivery %s failed for good: %s", delivery.pk, error)
        return "failed"
    rows.update(
        status=DeliveryStatus.QUEUED,
        last_error=error[:1000],
        next_attempt_at=now + backoff(delivery.attempts),
    )
    return "retry"


def campaign_deliver(*, campaign_id: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every due delivery of one campaign (in order), then close it when none is open."""
    now = now or timezone.now()
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


def deliveries_retry(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Requeue rows a crashed worker left in "sending", then send what is due everywhere."""
    now = now or timezone.now()
    requeued = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(status=DeliveryStatus.QUEUED, next_attempt_at=now)
    totals = dict.fromkeys(OUTCOMES, 0)
    sending = Campaign.objects.filter(status=CampaignStatus.SENDING).order_by("pk")
    for campaign_id in list(sending.values_list("pk", flat=True)):
        for key, value in campaign_deliver(campaign_id=campaign_id, now=now).items():
            totals[key] += value
    totals["requeued"] = requeued
    return totals


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

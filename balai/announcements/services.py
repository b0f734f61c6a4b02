"""Writers of the announcements app: campaigns, their life cycle, contacts and subscriptions.

Campaign life cycle: draft -> scheduled -> sending -> sent, or -> cancelled before sending.
Starting to send publishes the announcement on the portal, computes the recipients once
(`targeting.campaign_recipients`) and queues one `Delivery` per recipient; the deliveries go
out after commit (`sending.campaign_deliver`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from balai.complaints.attachments import clean_upload
from balai.core.audit import audit_record
from balai.regions.models import Region, SubVillageUnit

from .choices import CampaignStatus, Channel, ConsentMethod, Topic
from .models import Campaign, CampaignTarget, Contact, Delivery, Subscription
from .phones import normalize_email, normalize_phone
from .sending import deliveries_cancel_opted_out, deliveries_retry
from .targeting import campaign_recipients

EDITABLE = (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
FIELDS = (
    "title",
    "body",
    "topic",
    "service_point",
    "service",
    "program",
    "event",
    "session_kind",
    "channels",
)


# -- campaigns --------------------------------------------------------------------------------
def _check_targets(pemda, regions: Iterable[Region], units: Iterable[SubVillageUnit]) -> None:
    regions, units = list(regions), list(units)
    if not regions and not units:
        raise ValidationError(_("Choose at least one area."))
    for region in regions:
        if region.code != pemda.region_id and not region.code.startswith(pemda.region_id + "."):
            raise ValidationError(_("%(area)s is outside this Pemda.") % {"area": region.name})
    for unit in units:
        if unit.pemda_id != pemda.pk:
            raise ValidationError(_("%(area)s is outside this Pemda.") % {"area": unit})


def _set_targets(campaign: Campaign, regions, units) -> None:
    campaign.targets.all().delete()
    CampaignTarget.objects.bulk_create(
        [CampaignTarget(campaign=campaign, region=r) for r in dict.fromkeys(regions)]
        + [CampaignTarget(campaign=campaign, unit=u) for u in dict.fromkeys(units)]
    )


def _attach(campaign: Campaign, upload: tuple[bytes, str] | None) -> None:
    if upload is None:
        return
    data, name = upload
    clean, content_type = clean_upload(data, name)
    campaign.attachment.save(clean.name, clean, save=False)
    campaign.attachment_type = content_type


def _check_links(campaign: Campaign) -> None:
    for name in ("service_point", "service", "program", "event"):
        linked = getattr(campaign, name)
        if linked is not None and linked.pemda_id != campaign.pemda_id:
            raise ValidationError(_("A linked item belongs to another Pemda."))
    if campaign.event is not None:
        if campaign.program is None:
            campaign.program = campaign.event.program
        elif campaign.event.program_id != campaign.program_id:
            raise ValidationError(_("The service day belongs to another outreach program."))
    channels = [c for c in campaign.channels.split(",") if c]
    if not channels or any(c not in Channel.values for c in channels):
        raise ValidationError(_("Choose at least one channel."))


@transaction.atomic
def campaign_create(
    *,
    actor,
    pemda,
    title: str,
    body: str,
    regions: Iterable[Region] = (),
    units: Iterable[SubVillageUnit] = (),
    topic: str = Topic.SERVICES,
    upload: tuple[bytes, str] | None = None,
    is_simulated: bool = False,
    **links,
) -> Campaign:
    regions, units = list(regions), list(units)
    _check_targets(pemda, regions, units)
    campaign = Campaign(
        pemda=pemda,
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        is_simulated=is_simulated,
        **{k: v for k, v in links.items() if k in FIELDS},
    )
    _check_links(campaign)
    _attach(campaign, upload)
    campaign.full_clean()
    campaign.save()
    _set_targets(campaign, regions, units)
    audit_record(
        actor=actor,
        action="announcement.create",
        target=campaign,
        changes={"title": campaign.title, "targets": [str(t) for t in campaign.targets.all()]},
    )
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def campaign_update(
    *,
    actor,
    campaign: Campaign,
    regions: Iterable[Region] | None = None,
    units: Iterable[SubVillageUnit] | None = None,
    upload: tuple[bytes, str] | None = None,
    remove_attachment: bool = False,
    **fields,
) -> Campaign:
    campaign = _locked(campaign)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("Only a draft or scheduled announcement can be changed."))
    for name, value in fields.items():
        if name in FIELDS:
            setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    _check_links(campaign)
    if remove_attachment:
        campaign.attachment = ""
        campaign.attachment_type = ""
    _attach(campaign, upload)
    campaign.full_clean()
    campaign.save()
    if regions is not None or units is not None:
        regions, units = list(regions or ()), list(units or ())
        _check_targets(campaign.pemda, regions, units)
        _set_targets(campaign, regions, units)
    audit_record(
        actor=actor,
        action="announcement.update",
        target=campaign,
        changes={"fields": sorted(fields)},
    )
    return campaign


def _enqueue_start(campaign_id: int, at: dt.datetime) -> None:
    from .tasks import start_scheduled_campaign

    if default_task_backend.supports_defer:
        start_scheduled_campaign.using(run_after=at).enqueue(campaign_id)
    elif at <= timezone.now():
        start_scheduled_campaign.enqueue(campaign_id)
    # else: `balai announcements-send-due` starts it when the time has come.


@transaction.atomic
def campaign_schedule(*, actor, campaign: Campaign, at: dt.datetime) -> Campaign:
    """Send later: at `at` a task starts sending (the sweep command catches a lost task)."""
    campaign = _locked(campaign)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("Only a draft or scheduled announcement can be scheduled."))
    if at <= timezone.now():
        raise ValidationError(_("The time to send must be in the future."))
    campaign.status = CampaignStatus.SCHEDULED
    campaign.scheduled_at = at
    campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="announcement.schedule",
        target=campaign,
        changes={"scheduled_at": at.isoformat()},
    )
    transaction.on_commit(partial(_enqueue_start, campaign.pk, at), robust=True)
    return campaign


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign) -> Campaign:
    campaign = _locked(campaign)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("Only an announcement not yet sent can be cancelled."))
    campaign.status = CampaignStatus.CANCELLED
    campaign.cancelled_at = timezone.now()
    campaign.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(actor=actor, action="announcement.cancel", target=campaign)
    return campaign


@transaction.atomic
def campaign_send(*, actor, campaign: Campaign, now: dt.datetime | None = None) -> Campaign:
    """Publish now and queue a delivery per recipient; the messages go out after commit."""
    campaign = _locked(campaign)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("This announcement has been sent or cancelled already."))
    return _start(actor, campaign, now or timezone.now())


def _start(actor, campaign: Campaign, now: dt.datetime) -> Campaign:
    campaign.status = CampaignStatus.SENDING
    campaign.published_at = campaign.published_at or now
    campaign.save(update_fields=["status", "published_at", "updated_at"])
    recipients = campaign_recipients(campaign)
    Delivery.objects.bulk_create(
        [
            Delivery(
                campaign=campaign,
                contact_id=r.contact_id,
                subscription_id=r.subscription_id,
                channel=r.channel,
                address=r.address,
                idempotency_key=f"announcement-{campaign.pk}:{r.channel}:{r.address}",
                created_at=now,
            )
            for r in recipients
        ],
        ignore_conflicts=True,
    )
    audit_record(
        actor=actor,
        action="announcement.send",
        target=campaign,
        changes={"recipients": len(recipients)},
    )
    transaction.on_commit(partial(_enqueue_delivery, campaign.pk), robust=True)
    return campaign


def _enqueue_delivery(campaign_id: int) -> None:
    from .tasks import deliver_campaign

    deliver_campaign.enqueue(campaign_id)


def campaign_start_if_due(*, campaign_id: int, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .filter(pk=campaign_id, status=CampaignStatus.SCHEDULED, scheduled_at__lte=now)
            .first()
        )
        if campaign is None:
            return False
        _start(None, campaign, now)
    return True


def campaigns_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The sweep: start every scheduled campaign that is due, then send due deliveries."""
    now = now or timezone.now()
    due = Campaign.objects.filter(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now)
    started = sum(
        campaign_start_if_due(campaign_id=pk, now=now)
        for pk in list(due.order_by("scheduled_at").values_list("pk", flat=True))
    )
    counts = deliveries_retry(now=now)
    counts["started"] = started
    return counts


def campaign_count_view(*, campaign_id: int) -> None:
    """One more portal view (an aggregate counter: nothing about the reader is stored)."""
    Campaign.objects.filter(pk=campaign_id).update(view_count=F("view_count") + 1)


# -- contacts ---------------------------------------------------------------------------------
def _contact(pemda, *, unit, region, role, name, phone, email, channel, consent_at, consent_method):
    contact = Contact(
        pemda=pemda,
        unit=unit,
        region=region,
        role=role,
        name=name.strip(),
        phone=normalize_phone(phone),
        email=normalize_email(email),
        channel=channel or (Channel.WHATSAPP if phone else Channel.EMAIL),
        consent_at=consent_at,
        consent_method=consent_method,
    )
    if unit is not None and unit.pemda_id != pemda.pk:
        raise ValidationError(_("The RT/RW belongs to another Pemda."))
    if region is not None and not region.code.startswith(pemda.region_id):
        raise ValidationError(_("The area is outside this Pemda."))
    if contact.channel in (Channel.WHATSAPP, Channel.SMS) and not contact.phone:
        raise ValidationError(_("A phone number is needed for WhatsApp or SMS."))
    if contact.channel == Channel.EMAIL and not contact.email:
        raise ValidationError(_("An e-mail address is needed for e-mail."))
    contact.full_clean()
    return contact


@transaction.atomic
def contact_create(
    *,
    actor,
    pemda,
    role: str,
    name: str,
    unit: SubVillageUnit | None = None,
    region: Region | None = None,
    phone: str = "",
    email: str = "",
    channel: str = "",
    consent_at: dt.datetime | None = None,
    consent_method: str = ConsentMethod.WRITTEN,
    is_simulated: bool = False,
) -> Contact:
    contact = _contact(
        pemda,
        unit=unit,
        region=region,
        role=role,
        name=name,
        phone=phone,
        email=email,
        channel=channel,
        consent_at=consent_at or timezone.now(),
        consent_method=consent_method,
    )
    contact.is_simulated = is_simulated
    contact.save()
    audit_record(actor=actor, action="contact.create", target=contact)
    return contact


@transaction.atomic
def contact_opt_out(*, actor, contact: Contact) -> Contact:
    """Opt a contact out; its queued messages (any campaign of the Pemda) are cancelled."""
    Contact.objects.filter(pk=contact.pk, opted_out_at__isnull=True).update(
        opted_out_at=timezone.now()
    )
    contact.refresh_from_db()
    cancelled = deliveries_cancel_opted_out(
        pemda_id=contact.pemda_id, addresses=[contact.phone, normalize_email(contact.email)]
    )
    audit_record(
        actor=actor,
        action="contact.opt_out",
        target=contact,
        changes={"deliveries_cancelled": cancelled},
    )
    return contact


# -- subscriptions ----------------------------------------------------------------------------
@transaction.atomic
def subscription_subscribe(
    *,
    pemda,
    areas: Iterable[Region],
    topics: Iterable[str] = (),
    phone: str = "",
    email: str = "",
    consent_method: str = ConsentMethod.PORTAL,
    is_simulated: bool = False,
) -> Subscription:
    """Subscribe (or re-subscribe) a phone or e-mail; consent is recorded each time."""
    phone, email = normalize_phone(phone), normalize_email(email)
    if not phone and not email:
        raise ValidationError(_("Give a phone number or an e-mail address."))
    areas = list(areas)
    if not areas:
        raise ValidationError(_("Choose at least one area."))
    for area in areas:
        if area.code != pemda.region_id and not area.code.startswith(pemda.region_id + "."):
            raise ValidationError(_("%(area)s is outside this Pemda.") % {"area": area.name})
    topics = [t for t in topics if t in Topic.values]
    existing = (
        Subscription.objects.select_for_update()
        .filter(pemda=pemda, **({"phone": phone} if phone else {"email": email}))
        .first()
    )
    subscription = existing or Subscription(pemda=pemda, phone=phone, email=email)
    if phone and email:
        subscription.email = subscription.email or email
    subscription.topics = "," + ",".join(topics) + "," if topics else ""
    subscription.consent_at = timezone.now()
    subscription.consent_method = consent_method
    subscription.opted_out_at = None
    subscription.is_simulated = is_simulated
    subscription.full_clean(validate_constraints=False)
    subscription.save()
    subscription.areas.set(areas)
    audit_record(
        actor=None,
        action="subscription.subscribe",
        target=subscription,
        pemda=pemda,
        changes={"areas": [a.code for a in areas], "topics": topics, "via": consent_method},
    )
    return subscription


@transaction.atomic
def subscriber_opt_out(*, pemda, phone: str = "", email: str = "", via: str = "") -> int:
    """Opt a phone or e-mail out everywhere in the Pemda (subscriptions and contacts) and
    cancel the messages still queued for it (waiting for a retry or a rate-limit window).

    Returns how many rows were opted out (0 when the address was unknown: nothing to say).
    """
    phone, email = normalize_phone(phone), normalize_email(email)
    now = timezone.now()
    changed = 0
    for model in (Subscription, Contact):
        rows = model.objects.filter(pemda=pemda, opted_out_at__isnull=True)
        if phone:
            changed += rows.filter(phone=phone).update(opted_out_at=now)
        if email:
            changed += rows.filter(email=email).update(opted_out_at=now)
    # Also when nothing changed now: an earlier opt-out may have raced a campaign start.
    cancelled = deliveries_cancel_opted_out(pemda_id=pemda.pk, addresses=[phone, email])
    if changed or cancelled:
        audit_record(
            actor=None,
            action="subscription.opt_out",
            pemda=pemda,
            changes={"rows": changed, "via": via, "deliveries_cancelled": cancelled},
        )
    return changed

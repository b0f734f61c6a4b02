"""Socialization campaigns down to RT: announcements, their targets, contacts, subscriptions
and one delivery row per recipient and channel.

A campaign is published on the portal for the areas it targets and sent to the contacts (RT/RW
heads, community figures) and the citizens subscribed to those areas. `Delivery` is the outbox:
one row per (campaign, channel, address), unique in the database, so nothing is sent twice.
Portal views are one aggregate counter per campaign; nothing about the reader is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.organizations.choices import SessionKind

from .choices import (
    CampaignStatus,
    Channel,
    ConsentMethod,
    ContactRole,
    DeliveryStatus,
    Topic,
)


class Campaign(models.Model):
    """An announcement (text, optional photo or PDF) for some areas of one Pemda."""

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"))
    topic = models.CharField(
        _("topic"), max_length=12, choices=Topic.choices, default=Topic.SERVICES
    )
    attachment = models.FileField(_("photo or PDF"), upload_to="announcements/%Y/%m/", blank=True)
    attachment_type = models.CharField(max_length=40, blank=True)
    service_point = models.ForeignKey(
        "organizations.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        "outreach.Program",
        verbose_name=_("outreach program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("service day"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    session_kind = models.CharField(
        _("session promoted"),
        max_length=10,
        choices=SessionKind.choices,
        blank=True,
        help_text=_("For example the night service: its visits measure the effect."),
    )
    channels = models.CharField(
        _("channels"),
        max_length=40,
        default="whatsapp,sms,email",
        help_text=_("Comma-separated: whatsapp, sms, email."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("portal views"), default=0)
    is_simulated = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["pemda", "status", "published_at"], name="campaign_published"),
            models.Index(fields=["status", "scheduled_at"], name="campaign_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def channel_list(self) -> list[str]:
        return [c for c in self.channels.split(",") if c in Channel.values]


class CampaignTarget(models.Model):
    """One area a campaign is for: a region (the Pemda, a kecamatan, a desa/kelurahan) or a
    sub-village unit (dusun, RW, RT). Exactly one of the two is set."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "regions.SubVillageUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("announcement target")
        verbose_name_plural = _("announcement targets")
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(unit__isnull=True))
                | (Q(region__isnull=True) & Q(unit__isnull=False)),
                name="campaign_target_one_of",
            ),
            models.UniqueConstraint(
                fields=["campaign", "region"],
                condition=Q(region__isnull=False),
                name="campaign_target_region_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(unit__isnull=False),
                name="campaign_target_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.region)


class Contact(models.Model):
    """A person who passes announcements on: an RT/RW head, a kepala dusun, a community figure.

    Attached to a sub-village unit (RT, RW, dusun) or to a region (a kelurahan, a kecamatan).
    """

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "regions.SubVillageUnit",
        verbose_name=_("RT/RW or dusun"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=14, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.WHATSAPP
    )
    consent_at = models.DateTimeField(_("consent given"))
    consent_method = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentMethod.choices
    )
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    is_simulated = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["pemda", "region", "unit", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(region__isnull=False),
                name="contact_has_place",
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="contact_has_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Subscription(models.Model):
    """A citizen who asked for announcements about some areas and topics.

    `topics` is a comma-framed list (",layanan,kegiatan,") so "has this topic" is one LIKE on
    every database; empty means every topic.
    """

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    areas = models.ManyToManyField("regions.Region", verbose_name=_("areas"), related_name="+")
    topics = models.CharField(_("topics"), max_length=120, blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    consent_method = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentMethod.choices
    )
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    is_simulated = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="subscription_has_address"
            ),
            models.UniqueConstraint(
                fields=["pemda", "phone"], condition=~Q(phone=""), name="subscription_phone_once"
            ),
            models.UniqueConstraint(
                fields=["pemda", "email"], condition=~Q(email=""), name="subscription_email_once"
            ),
        ]

    def __str__(self) -> str:
        return self.phone or self.email

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]


class Delivery(models.Model):
    """One message of a campaign to one address on one channel: the outbox row."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    idempotency_key = models.CharField(_("idempotency key"), max_length=300, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The lease of the current attempt: set by the claim, required by every later update of
    # that attempt, so a worker whose claim was swept away cannot overwrite the row.
    attempt_id = models.UUIDField(null=True, blank=True, editable=False)
    # Committed just before the provider is called: a stale "sending" row without it was never
    # handed over (safe to send), with it the outcome is unknown (never resent automatically).
    provider_called_at = models.DateTimeField(_("handed to the provider"), null=True, blank=True)
    provider_message_id = models.CharField(
        _("message ID at the provider"), max_length=255, blank=True, db_index=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "address"], name="delivery_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return self.idempotency_key

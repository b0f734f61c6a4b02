"""Complaints (aduan) from every channel, their categories, routing, timeline and reports."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext_lazy as _

from .choices import Channel, EventKind, Kind, PauseReason, RejectReason, Status

# Easy to read out over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_tracking_code(value: str) -> str:
    raw = "".join(ch for ch in value.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


class ComplaintSettings(models.Model):
    """A Pemda's complaint-handling policy (Bangli: 24 hours around the clock)."""

    pemda = models.OneToOneField(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="complaint_settings"
    )
    response_hours = models.PositiveSmallIntegerField(
        _("response time (hours, around the clock)"), default=24
    )
    resolution_working_days = models.PositiveSmallIntegerField(
        _("resolution time (working days)"), default=10
    )
    warn_before_minutes = models.PositiveIntegerField(
        _("warn the TRC this many minutes before the deadline"), default=240
    )
    leadership_after_minutes = models.PositiveIntegerField(
        _("tell leadership this many minutes after a breach"), default=1440
    )
    reopen_days = models.PositiveSmallIntegerField(_("days the reporter may reopen"), default=10)
    conversation_window_minutes = models.PositiveSmallIntegerField(
        _("messages within this many minutes join one complaint"), default=30
    )

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self) -> str:
        return str(self.pemda)


class Category(models.Model):
    """A complaint category (an Open311 service), with its default OPD and clocks."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="complaint_categories"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    default_opd = models.ForeignKey(
        "organizations.OPD",
        verbose_name=_("default OPD"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    response_hours = models.PositiveSmallIntegerField(
        _("response time (hours)"),
        null=True,
        blank=True,
        help_text=_("Empty: the Pemda's default."),
    )
    resolution_working_days = models.PositiveSmallIntegerField(
        _("resolution time (working days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the Pemda's default."),
    )
    is_emergency = models.BooleanField(_("emergency (respond the same day)"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["pemda", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category x area -> OPD. The rule with the most specific area wins."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="routing_rules"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opd = models.ForeignKey("organizations.OPD", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="routing_unique_area"),
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.region or '*'} -> {self.opd}"


class Complaint(models.Model):
    """One complaint, whatever the channel it came through."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.PROTECT, related_name="complaints"
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=9, unique=True, default=new_tracking_code
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("outreach event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PENGADUAN)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    # Confidentiality: private and anonymous until a verifier decides otherwise.
    is_secret = models.BooleanField(_("rahasia (not public)"), default=True)
    is_anonymous = models.BooleanField(_("anonim (reporter hidden from the OPD)"), default=True)
    # The reporter (personal data: minimum, never public).
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reporter_channel_id = models.CharField(
        max_length=64, blank=True, help_text="WhatsApp wa_id or Messenger PSID"
    )
    # Where.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan or kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address or landmark"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    # Who handles it.
    opd = models.ForeignKey(
        "organizations.OPD",
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    forwarded_to_pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reject_reason = models.CharField(
        _("reason"), max_length=16, choices=RejectReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Clocks (UTC).
    received_at = models.DateTimeField(_("received"), db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True, db_index=True)
    resolution_due_at = models.DateTimeField(
        _("resolution due"), null=True, blank=True, db_index=True
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=16, choices=PauseReason.choices, blank=True)
    pause_expected_until = models.DateField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    # 0 for the first resolution clock; each reopening starts a new one (and a new ladder).
    resolution_round = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["pemda", "status", "response_due_at"], name="complaint_inbox"),
            models.Index(fields=["pemda", "opd", "status"], name="complaint_opd"),
            models.Index(fields=["pemda", "received_at"], name="complaint_period"),
            # The call center's "new" tab: unverified complaints, oldest first.
            models.Index(fields=["pemda", "status", "received_at", "id"], name="complaint_new"),
            # The "all" tab's order (received first, then the newest): see complaint_inbox.
            models.Index(
                F("pemda"),
                Case(When(status="received", then=Value(0)), default=Value(1)),
                F("received_at").desc(),
                F("id").desc(),
                name="complaint_all_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="paused") | models.Q(paused_at__isnull=False),
                name="complaint_paused_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class Escalation(models.Model):
    """One escalation step that fired. The unique constraint makes each step fire once.

    Once per clock round: the response clock has only round 0; the resolution clock starts a
    new round each time the reporter reopens the complaint, so its ladder can fire again.
    """

    class Clock(models.TextChoices):
        RESPONSE = "response", _("Response")
        RESOLUTION = "resolution", _("Resolution")

    class Step(models.TextChoices):
        WARN = "warn", _("Warning to the TRC")
        BREACH = "breach", _("Breach: OPD head")
        LEADERSHIP = "leadership", _("Breach: leadership")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    clock = models.CharField(max_length=12, choices=Clock.choices)
    step = models.CharField(max_length=12, choices=Step.choices)
    round = models.PositiveSmallIntegerField(default=0)
    fired_at = models.DateTimeField()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "clock", "step", "round"], name="escalation_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.clock} {self.step}"


class ComplaintEvent(models.Model):
    """One step in a complaint's timeline. Public events are shown to the reporter."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(_("visible to the reporter"), default=False)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"


# Events whose attachments the reporter sent (intake, later messages); attachments of any other
# event (the handling report) were added by staff.
REPORTER_EVENTS = ("received", "message", "reopened", "rated")


class Attachment(models.Model):
    """A photo or document of a complaint or of a handling report (metadata stripped).

    ``source`` tells the reporter's own files (deleted with the reporter's identity, UU 27/2022
    data minimisation) from the handling-report photos taken by staff (kept: evidence of work).
    Left blank, it is set from the event on save.
    """

    class Source(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        STAFF = "staff", _("Staff")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        ComplaintEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="complaints/%Y/%m/")
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file.name

    def save(self, *args, **kwargs):
        if not self.source:
            self.source = self.source_of(self.event)
        super().save(*args, **kwargs)

    @classmethod
    def source_of(cls, event) -> str:
        """The reporter's file unless attached to a staff event (the handling report)."""
        if event is not None and event.kind not in REPORTER_EVENTS:
            return cls.Source.STAFF
        return cls.Source.REPORTER


class HandlingReport(models.Model):
    """Laporan penanganan: what the OPD did, for the OPD head to approve."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="handling_reports"
    )
    actions = models.TextField(_("what was done"))
    done_on = models.DateField(_("done on"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.TextField(_("returned with note"), blank=True)

    class Meta:
        verbose_name = _("handling report")
        verbose_name_plural = _("handling reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.done_on}"


class Rating(models.Model):
    """The reporter's rating of the handling, after resolution."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.score}"


class ResponseTemplate(models.Model):
    """A reusable text for responses."""

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """An in-app notification for a staff member (also sent by e-mail when they have one)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text

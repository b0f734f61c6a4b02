"""Service requests (permohonan): a citizen asks for a service of the catalog and is served
against the Standar Pelayanan in force on the day the request was filed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.complaints.models import new_tracking_code

from .choices import Channel, EventKind, Status


class ServiceRequest(models.Model):
    """One request for a service, from filing to collection (or rejection).

    The processing clock starts only once every mandatory requirement is there
    (`clock_started_at`); `due_at` follows from the standard's processing time on the Pemda's
    calendar. A request is on time when `ready_at <= due_at`.
    """

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.PROTECT, related_name="service_requests"
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    standard = models.ForeignKey(
        "catalog.StandardVersion",
        verbose_name=_("Standar Pelayanan version"),
        on_delete=models.PROTECT,
        related_name="requests",
        help_text=_("The version in force when the request was filed."),
    )
    point = models.ForeignKey(
        "organizations.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("outreach event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=9, unique=True, default=new_tracking_code
    )
    # The applicant (personal data: optional and minimal, never public).
    applicant_name = models.CharField(_("applicant's name"), max_length=120, blank=True)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    # {requirement_id (as a string, JSON keys are strings): brought?}
    checklist = models.JSONField(_("requirements checklist"), default=dict, blank=True)
    # The texts of the mandatory requirements still missing, as the applicant was told.
    missing = models.JSONField(_("missing requirements"), default=list, blank=True)
    # Clocks (UTC).
    submitted_at = models.DateTimeField(_("filed"))
    clock_started_at = models.DateTimeField(_("clock started"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["pemda", "status", "submitted_at"], name="sreq_list"),
            models.Index(fields=["pemda", "ready_at"], name="sreq_ready"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["in_process", "ready", "collected"])
                | models.Q(clock_started_at__isnull=False, due_at__isnull=False),
                name="sreq_started_has_clock",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["ready", "collected"])
                | models.Q(ready_at__isnull=False),
                name="sreq_ready_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="collected") | models.Q(collected_at__isnull=False),
                name="sreq_collected_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_on_time(self) -> bool | None:
        """Ready by the due time; None while not ready."""
        if self.ready_at is None or self.due_at is None:
            return None
        return self.ready_at <= self.due_at


class ServiceRequestEvent(models.Model):
    """One step in a request's timeline. Public events are shown on the tracking page."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(_("visible to the applicant"), default=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("service request event")
        verbose_name_plural = _("service request events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request} {self.kind}"

"""Community spaces at offices, their weekly activities and the bookings of groups.

A kantor kecamatan (Banyuwangi) opens its hall to citizens: weekly activities such as a
Friday pengajian or Saturday arts, and bookings by UMKM, students or farmers' groups.

Double bookings are impossible: approved bookings of one space never overlap. On PostgreSQL an
exclusion constraint (btree_gist, created in migration 0002) enforces it in the database; on
every database the services check under a lock on the space's row (see services.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.complaints.models import new_tracking_code

from .choices import BookingChannel, BookingStatus, GroupKind


class Space(models.Model):
    """A room or hall at a service point that citizens may use."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="community_spaces"
    )
    point = models.ForeignKey(
        "organizations.ServicePoint",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="community_spaces",
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    facilities = models.JSONField(
        _("facilities"), default=list, blank=True, help_text=_("Values of Facility.")
    )
    is_bookable = models.BooleanField(
        _("groups may ask to book it"),
        default=True,
        help_text=_("When off, the space shows its activities only."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes for users"), blank=True, max_length=1000)
    photo = models.FileField(_("photo"), upload_to="community/spaces/", blank=True)

    class Meta:
        verbose_name = _("community space")
        verbose_name_plural = _("community spaces")
        ordering = ["point", "name"]
        constraints = [
            models.UniqueConstraint(fields=["point", "name"], name="space_unique_name"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="space_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.point})"


class Activity(models.Model):
    """A recurring community activity in a space: on some weekdays, at the same local time."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="community_activities"
    )
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=150)
    organiser = models.CharField(_("organised by"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    weekdays = models.JSONField(_("days"), default=list, help_text=_("0 = Monday ... 6 = Sunday."))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_public = models.BooleanField(
        _("shown on the public calendar"),
        default=True,
        help_text=_("A private activity still blocks the space but is shown as 'in use'."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["space", "start_time", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")), name="activity_order"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_until")),
                name="activity_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def weekday_labels(self) -> str:
        from balai.organizations.choices import Weekday

        return ", ".join(str(Weekday(d).label) for d in sorted(self.weekdays))


class Booking(models.Model):
    """A group's request to use a space once, from `starts_at` to `ends_at` (UTC).

    The contact person's name and phone are personal data (UU 27/2022): collected only to
    answer the request, shown to the office's staff only, never on public pages or feeds.
    """

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="community_bookings"
    )
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings"
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=9, unique=True, default=new_tracking_code
    )
    group_name = models.CharField(_("group"), max_length=150)
    group_kind = models.CharField(_("kind of group"), max_length=12, choices=GroupKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_phone = models.CharField(_("contact phone (E.164)"), max_length=20)
    purpose = models.CharField(_("activity"), max_length=300)
    attendees = models.PositiveIntegerField(_("expected attendees"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BookingStatus.choices,
        default=BookingStatus.REQUESTED,
        db_index=True,
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=BookingChannel.choices, default=BookingChannel.PORTAL
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("space booking")
        verbose_name_plural = _("space bookings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["space", "status", "starts_at"], name="booking_space_time"),
            models.Index(fields=["pemda", "status", "-created_at"], name="booking_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="booking_order"
            ),
            models.CheckConstraint(condition=models.Q(attendees__gte=1), name="booking_attendees"),
            models.CheckConstraint(
                condition=~models.Q(status=BookingStatus.REFUSED) | ~models.Q(refusal_reason=""),
                name="booking_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

"""Mobile service days: programs, their events (with photos) and the planner's runs.

A Program (Botram Kecamatan, Botram Masuk Desa, Buji'an Dusun...) brings several OPD and a
subset of the catalog to a kecamatan or a village on a rhythm (allowed weekdays, events per
day). Events are its dated occurrences; a PlanRun proposes events for a period and explains
each placement.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import EventStatus, RunStatus, SolverStatus, VenueLevel


def default_weekdays() -> list[int]:
    return [5]  # Saturday


def default_constraints() -> dict:
    return {
        "weekdays": [5],
        "slots_per_day": 1,
        "blackout": [],
        "one_per_kecamatan_per_week": True,
        "exclude_visited": True,
    }


def default_weights() -> dict:
    """Priority factors of `balai.outreach.planner` (remoteness first, as Bengkulu Selatan asks)."""
    return {"remoteness": 0.5, "population": 0.15, "since_visit": 0.2, "demand": 0.15}


class Program(models.Model):
    """A recurring mobile service program of a Pemda."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="outreach_programs"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    venue_level = models.CharField(
        _("venue level"), max_length=10, choices=VenueLevel.choices, default=VenueLevel.VILLAGE
    )
    opds = models.ManyToManyField(
        "organizations.OPD",
        verbose_name=_("participating OPD"),
        blank=True,
        related_name="outreach_programs",
    )
    services = models.ManyToManyField(
        "catalog.Service",
        verbose_name=_("services offered"),
        blank=True,
        related_name="outreach_programs",
    )
    weekdays = models.JSONField(
        _("allowed weekdays"),
        default=default_weekdays,
        help_text=_("0 = Monday ... 6 = Sunday."),
    )
    slots_per_day = models.PositiveSmallIntegerField(_("events per day"), default=1)
    start_time = models.TimeField(_("usual start time"), null=True, blank=True)
    end_time = models.TimeField(_("usual end time"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("coverage target year"), null=True, blank=True)
    target_all = models.BooleanField(_("target: every village (or kecamatan)"), default=False)
    target_count = models.PositiveIntegerField(_("target count"), null=True, blank=True)
    budget_notes = models.TextField(_("budget and capacity notes"), blank=True)
    is_public = models.BooleanField(_("shown on the public schedule"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outreach program")
        verbose_name_plural = _("outreach programs")
        ordering = ["pemda", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "slug"], name="outreach_program_slug"),
            models.CheckConstraint(
                condition=models.Q(slots_per_day__gte=1), name="outreach_program_slots"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_names(self) -> list[str]:
        from balai.organizations.choices import Weekday

        return [str(Weekday(d).label) for d in sorted(self.weekdays or [])]


class PlanRun(models.Model):
    """One run of the planner for a program and a period (runs in the worker)."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="outreach_plan_runs"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plan_runs")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    constraints = models.JSONField(_("constraints"), default=default_constraints)
    weights = models.JSONField(_("weights"), default=default_weights)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("progress message"), max_length=200, blank=True)
    solver_status = models.CharField(
        _("solver status"), max_length=10, choices=SolverStatus.choices, blank=True
    )
    objective = models.FloatField(_("objective"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    wall_s = models.FloatField(_("wall time (s)"), null=True, blank=True)
    placed = models.PositiveIntegerField(_("events placed"), default=0)
    unplaced = models.JSONField(_("not placed"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="outreach_planrun_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.period_start}..{self.period_end}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class Event(models.Model):
    """One dated service day of a program at a kecamatan or a village."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="outreach_events"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    slot = models.PositiveSmallIntegerField(_("slot of the day"), default=0)
    start_time = models.TimeField(_("start"), null=True, blank=True)
    end_time = models.TimeField(_("end"), null=True, blank=True)
    venue = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan or desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    opds = models.ManyToManyField(
        "organizations.OPD", verbose_name=_("OPD present"), blank=True, related_name="+"
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services offered"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Re-planning keeps a locked event as it is.")
    )
    plan_run = models.ForeignKey(
        PlanRun,
        verbose_name=_("plan run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["date", "slot", "id"]
        indexes = [
            models.Index(fields=["pemda", "date"], name="outreach_event_pemda_date"),
            models.Index(fields=["program", "date"], name="outreach_event_program_date"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.date} {self.venue.name}"


def photo_path(instance: "EventPhoto", filename: str) -> str:
    return f"outreach/{instance.event.pemda_id}/{instance.event_id}/{filename}"


class EventPhoto(models.Model):
    """A photo of an event, stored re-encoded without EXIF/GPS metadata."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name

"""The Pemda (tenant), its working calendar, its OPD and their units."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.regions.choices import Level

from .choices import CalendarDayKind, OPDKind, ServicePointKind, SessionKind, UnitKind, Weekday


class Pemda(models.Model):
    """A kabupaten or kota government running Balai: every tenant row points here."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="pemda",
        limit_choices_to={"level": Level.KABUPATEN_KOTA},
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    seat_name = models.CharField(_("seat of government"), max_length=120, blank=True)
    seat_lat = models.FloatField(_("seat latitude"), null=True, blank=True)
    seat_lng = models.FloatField(_("seat longitude"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=40)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Simulated data for demonstration.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Pemda")
        verbose_name_plural = _("Pemda")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkingHours(models.Model):
    """One interval of regular working time on a weekday, in the Pemda's local time."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["pemda", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="wh_order"),
            models.UniqueConstraint(fields=["pemda", "weekday", "start"], name="wh_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H.%M}-{self.end:%H.%M}"


class CalendarDay(models.Model):
    """A local exception to the national calendar: a local holiday, or a day opened anyway."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("description"), max_length=120)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["pemda", "date"]
        constraints = [models.UniqueConstraint(fields=["pemda", "date"], name="calday_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class OPD(models.Model):
    """Organisasi Perangkat Daerah: a dinas, badan, bagian or kecamatan of the Pemda."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="opds")
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=OPDKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("area (for a kecamatan)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["pemda", "short_name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "short_name"], name="opd_unique_short_name")
        ]

    def __str__(self) -> str:
        return self.short_name


class Unit(models.Model):
    """A working unit of an OPD: a bidang, UPT, an office of a kecamatan/kelurahan/desa, a TRC."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="units")
    opd = models.ForeignKey(OPD, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["pemda", "opd", "name"]
        constraints = [models.UniqueConstraint(fields=["opd", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class ServicePoint(models.Model):
    """A place where citizens are served: a kantor kecamatan/kelurahan/desa, an MPP, a counter."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="service_points")
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="service_points"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The kecamatan, kelurahan or desa whose residents this office serves."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services offered"), blank=True, related_name="points"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["pemda", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "slug"], name="servicepoint_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class OpeningRule(models.Model):
    """Weekly opening hours of a session kind, optionally only within a date range (a period)."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="opening_rules")
    session_kind = models.CharField(
        _("session"), max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["point", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="rule_order"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_until")),
                name="rule_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point}: {self.get_weekday_display()} {self.start:%H.%M}-{self.end:%H.%M}"


class OpeningException(models.Model):
    """A date on which a point is closed, or open although it would not be (e.g. a holiday).

    Holidays (national, cuti bersama, local) close every point unless an exception opens it.
    """

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="opening_exceptions"
    )
    date = models.DateField(_("date"))
    is_open = models.BooleanField(_("open"), default=False)
    session_kind = models.CharField(
        _("session"), max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["point", "date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_open=False)
                | models.Q(start__isnull=False, end__isnull=False, start__lt=models.F("end")),
                name="exception_open_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.date}"

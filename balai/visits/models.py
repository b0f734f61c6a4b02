"""The visit logbook (buku tamu), the satisfaction survey (SKM) and what uptake is judged by.

No visitor is identified: no NIK, no name, no phone. A visit records what was sought, from
which village (down to RW/RT), the visitor's occupation and what came of it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.core.choices import Occupation
from balai.organizations.choices import SessionKind

from .choices import Education, Outcome, Sex, SurveyChannel

SMALL_NUMBER = RegexValidator(r"^\d{1,3}$", _("Up to three digits."))
ELEMENTS = tuple(f"u{i}" for i in range(1, 10))  # the nine SKM elements' fields


class Visit(models.Model):
    """One citizen's visit to a service point (or an event), as the front office logs it."""

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(
        "organizations.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    visited_at = models.DateTimeField(_("time of the visit"))
    session_kind = models.CharField(
        _("session"), max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("outreach event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services sought"), related_name="visits"
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[SMALL_NUMBER])
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[SMALL_NUMBER])
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.SERVED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["pemda", "point", "visited_at"], name="visit_pemda_point_time"),
            models.Index(
                fields=["pemda", "session_kind", "visited_at"], name="visit_pemda_session_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point or '-'} {self.visited_at:%Y-%m-%d %H:%M}"


def _score_field(number: int):
    return models.PositiveSmallIntegerField(
        f"U{number}", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class SurveyResponse(models.Model):
    """One answered SKM questionnaire (PermenPAN-RB 14/2017): nine elements scored 1-4.

    `token_hash` is the SHA-256 of the signed link a WhatsApp respondent used: one answer per
    link. Paper and QR answers have none.
    """

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(
        "organizations.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit surveyed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=SurveyChannel.choices)
    answered_at = models.DateTimeField(_("answered at"))
    u1 = _score_field(1)
    u2 = _score_field(2)
    u3 = _score_field(3)
    u4 = _score_field(4)
    u5 = _score_field(5)
    u6 = _score_field(6)
    u7 = _score_field(7)
    u8 = _score_field(8)
    u9 = _score_field(9)
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(120)]
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=20, choices=Occupation.choices, blank=True
    )
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SKM response")
        verbose_name_plural = _("SKM responses")
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["pemda", "answered_at"], name="skm_pemda_time"),
            models.Index(fields=["pemda", "unit", "answered_at"], name="skm_pemda_unit_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
                name=f"skm_{name}_range",
            )
            for name in ELEMENTS
        ]

    def __str__(self) -> str:
        return f"SKM {self.point or self.unit or '-'} {self.answered_at:%Y-%m-%d}"


class AreaPopulation(models.Model):
    """How many people live in an area (kecamatan, desa/kelurahan), for uptake per 1,000."""

    pemda = models.ForeignKey("organizations.Pemda", on_delete=models.CASCADE, related_name="+")
    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="population_figure",
    )
    population = models.PositiveIntegerField(_("residents"))
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("E.g. Disdukcapil DKB semester 1.")
    )

    class Meta:
        verbose_name = _("area population")
        verbose_name_plural = _("area populations")
        ordering = ["region"]

    def __str__(self) -> str:
        return f"{self.region.name}: {self.population} ({self.year})"


class UptakeSettings(models.Model):
    """A Pemda's thresholds for flagging low uptake of an office's night service."""

    pemda = models.OneToOneField(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="uptake_settings"
    )
    min_night_visits_per_week = models.DecimalField(
        _("minimum night visits per week"),
        max_digits=6,
        decimal_places=1,
        default=5,
        help_text=_("An office below this average in the period is flagged."),
    )
    min_night_visits_per_1000 = models.DecimalField(
        _("minimum night visits per 1,000 residents"),
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text=_("In the period, for offices whose area's population is known."),
    )
    occupation_gap_points = models.PositiveSmallIntegerField(
        _("occupation gap (percentage points)"),
        default=15,
        help_text=_(
            "An occupation whose share of night visitors differs from its share of daytime "
            "visitors by at least this much is reported."
        ),
    )

    class Meta:
        verbose_name = _("uptake settings")
        verbose_name_plural = _("uptake settings")

    def __str__(self) -> str:
        return str(self.pemda)

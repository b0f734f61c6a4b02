"""Lists of the visit logbook and the satisfaction survey (SKM)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What came of a visit at the counter."""

    SERVED = "served", _("Served")
    INCOMPLETE = "incomplete", _("Requirements incomplete")
    REFERRED = "referred", _("Referred elsewhere")
    INFORMATION = "information", _("Information only")


class SurveyChannel(models.TextChoices):
    PAPER = "paper", _("Paper questionnaire")
    QR = "qr", _("QR code at the office")
    WHATSAPP = "whatsapp", _("Link sent over WhatsApp")


class Sex(models.TextChoices):
    MALE = "L", _("Male (L)")
    FEMALE = "P", _("Female (P)")


class Education(models.TextChoices):
    """Highest schooling, in the SKM respondent profile's bands."""

    SD = "sd", _("SD or lower")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    DIPLOMA = "d1_d3", _("D1-D3")
    BACHELOR = "d4_s1", _("D4/S1")
    POSTGRADUATE = "s2_plus", _("S2 or higher")

"""Lists shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.TextChoices):
    """Occupation categories (pekerjaan), as in the SKM respondent profile and the logbook."""

    CIVIL_SERVANT = "pns", _("Civil servant / TNI / Polri")
    PRIVATE_EMPLOYEE = "swasta", _("Private employee")
    ENTREPRENEUR = "wiraswasta", _("Entrepreneur / trader")
    FARMER = "petani", _("Farmer")
    FISHER = "nelayan", _("Fisher")
    LABOURER = "buruh", _("Labourer")
    STUDENT = "pelajar", _("Student")
    HOMEMAKER = "irt", _("Homemaker")
    RETIRED = "pensiunan", _("Retired")
    NOT_WORKING = "tidak_bekerja", _("Not working")
    OTHER = "lainnya", _("Other")

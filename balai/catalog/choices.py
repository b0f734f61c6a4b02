from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    ADMINDUK = "adminduk", _("Population administration (adminduk)")
    LICENSING = "perizinan", _("Licensing")
    LETTERS = "surat", _("Letters and certificates")
    HEALTH = "kesehatan", _("Health")
    SOCIAL = "sosial", _("Social affairs")
    TAX = "pajak", _("Regional tax and levies")
    TRANSPORT = "perhubungan", _("Transport")
    OTHER = "lainnya", _("Other")


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes (while you wait)")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# The 14 components of a Standar Pelayanan (UU 25/2009 Pasal 21; PermenPAN-RB 15/2014):
# six published to the public (service delivery), eight internal (manufacturing).
PUBLIC_COMPONENTS = (
    ("requirements", _("Persyaratan")),
    ("procedure", _("Sistem, mekanisme dan prosedur")),
    ("processing_time", _("Jangka waktu penyelesaian")),
    ("fee", _("Biaya/tarif")),
    ("product", _("Produk pelayanan")),
    ("complaints_handling", _("Penanganan pengaduan, saran dan masukan")),
)
INTERNAL_COMPONENTS = (
    ("legal_basis", _("Dasar hukum")),
    ("facilities", _("Sarana, prasarana dan/atau fasilitas")),
    ("staff_competence", _("Kompetensi pelaksana")),
    ("internal_supervision", _("Pengawasan internal")),
    ("staff_count", _("Jumlah pelaksana")),
    ("service_guarantee", _("Jaminan pelayanan")),
    ("security_guarantee", _("Jaminan keamanan dan keselamatan pelayanan")),
    ("performance_evaluation", _("Evaluasi kinerja pelaksana")),
)

from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CalendarDayKind(models.TextChoices):
    CLOSED = "closed", _("Closed (local holiday)")
    OPEN = "open", _("Open (working day despite a holiday)")


class OPDKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    BAGIAN = "bagian", _("Bagian")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    KECAMATAN = "kecamatan", _("Kecamatan")
    BUMD = "bumd", _("BUMD")
    OTHER = "other", _("Other")


class UnitKind(models.TextChoices):
    BIDANG = "bidang", _("Bidang")
    UPT = "upt", _("UPT")
    KANTOR_KECAMATAN = "kantor_kecamatan", _("Kantor kecamatan")
    KANTOR_KELURAHAN = "kantor_kelurahan", _("Kantor kelurahan")
    KANTOR_DESA = "kantor_desa", _("Kantor desa")
    MPP = "mpp", _("Mal Pelayanan Publik")
    TRC = "trc", _("Tim Reaksi Cepat")
    OTHER = "other", _("Other")


class ServicePointKind(models.TextChoices):
    KANTOR_KECAMATAN = "kantor_kecamatan", _("Kantor kecamatan")
    KANTOR_KELURAHAN = "kantor_kelurahan", _("Kantor kelurahan")
    KANTOR_DESA = "kantor_desa", _("Kantor desa")
    MPP = "mpp", _("Mal Pelayanan Publik")
    OPD_COUNTER = "opd_counter", _("OPD service counter")


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular hours")
    NIGHT = "night", _("Night service (layanan malam)")
    EVENT = "event", _("Mobile service event")

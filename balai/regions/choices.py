"""Region levels and kinds, and the time zone of each province (DOMAIN.md section 8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN_KOTA = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA_KELURAHAN = 4, _("Desa/Kelurahan")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


class SubVillageKind(models.TextChoices):
    DUSUN = "dusun", _("Dusun")
    LINGKUNGAN = "lingkungan", _("Lingkungan")
    RW = "rw", _("RW")
    RT = "rt", _("RT")


WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
_WITA_PROVINCES = {51, 52, 53, 63, 64, 65, 71, 72, 73, 74, 75, 76}
_WIT_PROVINCES = {81, 82, 91, 92, 93, 94, 95, 96}


def timezone_for_code(code: str) -> str:
    """The IANA zone of the province a region code belongs to (WIB, WITA or WIT)."""
    province = int(code.split(".")[0])
    if province in _WIT_PROVINCES:
        return WIT
    if province in _WITA_PROVINCES:
        return WITA
    return WIB


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def kind_of(code: str, name: str) -> str:
    """Kind of a region from its code (and the name, for kabupaten vs kota)."""
    level = level_of(code)
    if level == 1:
        return Kind.PROVINSI
    if level == 2:
        return Kind.KOTA if name.lower().startswith("kota ") else Kind.KABUPATEN
    if level == 3:
        return Kind.DISTRIK if int(code[:2]) >= 91 else Kind.KECAMATAN
    first = code.rsplit(".", 1)[1][:1]
    return {"1": Kind.KELURAHAN, "3": Kind.DESA_ADAT}.get(first, Kind.DESA)

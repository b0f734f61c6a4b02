"""How the catalog writes money and durations for the public: Rp1.500.000, "Gratis", "14 hari
kerja" (through gettext, so English readers get "14 working days")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import DurationUnit


def rupiah(amount: Decimal | int | float | None) -> str:
    """Rupiah the Indonesian way: "Rp1.500.000" (dots between thousands, no decimals)."""
    value = int(Decimal(amount or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{abs(value):,}".replace(",", ".")


def fee_text(amount: Decimal | int | None) -> str:
    """ "Gratis" (free) when the fee is zero, else the amount in rupiah."""
    if not amount:
        return _("Free")
    return rupiah(amount)


def duration_text(amount: int, unit: str) -> str:
    """A processing time in words: "60 menit", "3 jam kerja", "14 hari kerja"."""
    if unit == DurationUnit.MINUTES:
        if amount and amount % 60 == 0:
            hours = amount // 60
            return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
        return ngettext("%(count)d minute", "%(count)d minutes", amount) % {"count": amount}
    if unit == DurationUnit.WORKING_HOURS:
        return ngettext("%(count)d working hour", "%(count)d working hours", amount) % {
            "count": amount
        }
    return ngettext("%(count)d working day", "%(count)d working days", amount) % {"count": amount}

"""How figures are written: numbers in the active locale, the comparison in words."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .selectors import Card


def number(value, unit: str = "count") -> str:
    """ "1.234", "60,0%", "2,0 jam", "74,25"; an em dash when there is nothing to show."""
    if value is None:
        return "—"
    if unit == "percent":
        return number_format(value, 1) + "%"
    if unit == "hours":
        return _("%(n)s h") % {"n": number_format(value, 1, force_grouping=True)}
    if unit == "ikm":
        return number_format(value, 2)
    if isinstance(value, Decimal) and value != value.to_integral():
        return number_format(value, 1, force_grouping=True)
    return number_format(value, 0, force_grouping=True)


def delta_text(card: Card, previous_label: str) -> str:
    """The comparison with the previous period, in words (not only an arrow or a colour)."""
    unit = card.indicator.unit
    if card.previous.number is None and card.current.number is None:
        return _("No data in this period or in %(period)s.") % {"period": previous_label}
    if card.previous.number is None:
        return _("No data in %(period)s to compare with.") % {"period": previous_label}
    if card.current.number is None:
        return _("No data in this period; %(previous)s in %(period)s.") % {
            "previous": number(card.previous.number, unit),
            "period": previous_label,
        }
    values = {
        "delta": number(abs(card.delta), "points" if unit == "percent" else unit),
        "previous": number(card.previous.number, unit),
        "period": previous_label,
    }
    if unit == "percent":
        values["delta"] = _("%(n)s points") % {"n": number_format(abs(card.delta), 1)}
    if card.direction == "same":
        text = _("Unchanged from %(period)s (%(previous)s)") % values
    elif card.direction == "up":
        text = _("Up %(delta)s from %(previous)s in %(period)s") % values
    else:
        text = _("Down %(delta)s from %(previous)s in %(period)s") % values
    if card.verdict == "better":
        text += " · " + _("better")
    elif card.verdict == "worse":
        text += " · " + _("worse")
    return text


ARROWS = {"up": "▲", "down": "▼", "same": "=", "none": "·"}


def present_card(card: Card, previous_label: str) -> dict:
    v = card.current
    detail = ""
    if v.part is not None:
        detail = _("%(part)s of %(count)s") % {
            "part": number(v.part),
            "count": number(v.count),
        }
    elif not card.indicator.is_count:
        detail = _("from %(count)s") % {"count": number(v.count)}
    if v.note:  # the IKM's grade; for other indicators the note is written out already
        note = _("grade %(grade)s") % {"grade": v.note} if card.indicator.unit == "ikm" else v.note
        detail = note + (f" · {detail}" if detail else "")
    return {
        "card": card,
        "id": card.indicator.id,
        "label": card.indicator.label,
        "value": number(v.number, card.indicator.unit),
        "previous_value": number(card.previous.number, card.indicator.unit),
        "detail": detail,
        "arrow": ARROWS[card.direction],
        "delta": delta_text(card, previous_label),
        "verdict": card.verdict,
    }

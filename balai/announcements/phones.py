"""Normalising phone numbers (E.164, Indonesian by default) and e-mail addresses."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

DEFAULT_REGION = "ID"


def normalize_phone(raw: str) -> str:
    """'0812-3456-7890', '+62 812 3456 7890', '6281234567890' -> '+6281234567890'.

    Raises ValidationError for something that is not a possible number; '' stays ''.
    """
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("62") and not text.startswith("620"):
        text = "+" + text  # a WhatsApp id or a number written without the plus
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("%(value)s is not a phone number.") % {"value": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("%(value)s is not a valid phone number.") % {"value": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """Trimmed and lower-cased ('' stays ''); raises ValidationError when malformed."""
    text = (raw or "").strip().lower()
    if text:
        validate_email(text)
    return text


def wa_id(phone: str) -> str:
    """An E.164 number as WhatsApp writes it (digits only)."""
    return phone.lstrip("+")

from decimal import Decimal

import pytest
from django.utils import translation

from balai.catalog.formatting import duration_text, fee_text, rupiah


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Rp0"),
        (500, "Rp500"),
        (1500, "Rp1.500"),
        (Decimal("1500000"), "Rp1.500.000"),
        (Decimal("12345678901"), "Rp12.345.678.901"),
    ],
)
def test_rupiah(amount, expected):
    assert rupiah(amount) == expected


def test_fee_is_gratis_when_zero():
    with translation.override("id"):
        assert fee_text(Decimal(0)) == "Gratis"
        assert fee_text(Decimal(25000)) == "Rp25.000"
    with translation.override("en"):
        assert fee_text(0) == "Free"


@pytest.mark.parametrize(
    ("amount", "unit", "indonesian", "english"),
    [
        (14, "working_days", "14 hari kerja", "14 working days"),
        (1, "working_days", "1 hari kerja", "1 working day"),
        (3, "working_hours", "3 jam kerja", "3 working hours"),
        (30, "minutes", "30 menit", "30 minutes"),
        (120, "minutes", "2 jam", "2 hours"),
    ],
)
def test_duration_in_words(amount, unit, indonesian, english):
    with translation.override("id"):
        assert duration_text(amount, unit) == indonesian
    with translation.override("en"):
        assert duration_text(amount, unit) == english

"""Indeks Kepuasan Masyarakat (IKM) per PermenPAN-RB 14/2017, and the Krejcie-Morgan sample.

    NRR per element      = mean of the element's scores (1-4)
    weighted NRR         = NRR x weight
    IKM unit             = sum of the nine weighted NRR
    converted IKM        = IKM unit x 25            (25-100)

The regulation writes the weight as 0,11 (1/9 rounded); the two weights give different results
(all NRR 3.6590: 90.56 with 0,11, 91.48 with 1/9), so the policy is a named parameter and every
report states it.

Rounding: nothing is rounded in between. Means are exact fractions of integer sums, so the
result does not depend on the database's float averages. Only shown values are rounded, half
up: NRR to 3 decimals, weighted NRR and IKM unit to 4, converted IKM to 2. The grade is read
from the converted IKM rounded to 2 decimals (the grade bands are written to 2 decimals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

ELEMENT_COUNT = 9


@dataclass(frozen=True)
class WeightPolicy:
    key: str  # in URLs
    weight: Fraction
    label: str
    short: str  # as written in the result table


WEIGHT_0_11 = WeightPolicy("0.11", Fraction(11, 100), _("0,11 per PermenPAN-RB 14/2017"), "0,11")
WEIGHT_ONE_NINTH = WeightPolicy("1/9", Fraction(1, 9), _("1/9 exact"), "1/9")
WEIGHT_POLICIES = {p.key: p for p in (WEIGHT_0_11, WEIGHT_ONE_NINTH)}
DEFAULT_POLICY = WEIGHT_0_11


@dataclass(frozen=True)
class Element:
    code: str  # "U1"
    field: str  # "u1"
    name: str  # the regulation's name of the element
    question: str  # plain Indonesian question on the questionnaire
    options: tuple[str, str, str, str]  # answers scored 1, 2, 3, 4


ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        "u1",
        _("Persyaratan"),
        _("Did the requirements asked of you fit the service you needed?"),
        (_("Did not fit"), _("Fitted poorly"), _("Fitted"), _("Fitted very well")),
    ),
    Element(
        "U2",
        "u2",
        _("Sistem, mekanisme dan prosedur"),
        _("How easy was the procedure to follow?"),
        (_("Not easy"), _("Not very easy"), _("Easy"), _("Very easy")),
    ),
    Element(
        "U3",
        "u3",
        _("Waktu penyelesaian"),
        _("How fast were you served?"),
        (_("Not fast"), _("Not very fast"), _("Fast"), _("Very fast")),
    ),
    Element(
        "U4",
        "u4",
        _("Biaya/tarif"),
        _("How fair was the fee you paid?"),
        (_("Very expensive"), _("Rather expensive"), _("Cheap"), _("Free")),
    ),
    Element(
        "U5",
        "u5",
        _("Produk spesifikasi jenis pelayanan"),
        _("Did what you received match what the service standard promises?"),
        (_("Did not match"), _("Matched poorly"), _("Matched"), _("Matched fully")),
    ),
    Element(
        "U6",
        "u6",
        _("Kompetensi pelaksana"),
        _("How capable were the staff who served you?"),
        (_("Not capable"), _("Not very capable"), _("Capable"), _("Very capable")),
    ),
    Element(
        "U7",
        "u7",
        _("Perilaku pelaksana"),
        _("How polite and friendly were the staff?"),
        (
            _("Not polite or friendly"),
            _("Not very polite or friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        "u8",
        _("Penanganan pengaduan, saran dan masukan"),
        _("How are complaints and suggestions handled here?"),
        (
            _("There is no way to complain"),
            _("There is one but it does not work"),
            _("It works, not fully"),
            _("It is handled well"),
        ),
    ),
    Element(
        "U9",
        "u9",
        _("Sarana dan prasarana"),
        _("How good are the office's facilities (waiting room, toilets, parking)?"),
        (_("Poor"), _("Fair"), _("Good"), _("Very good")),
    ),
)


@dataclass(frozen=True)
class Grade:
    letter: str
    label: str  # the regulation's wording, in Indonesian
    lowest: Decimal  # lowest converted IKM of the band


GRADES: tuple[Grade, ...] = (  # best first
    Grade("A", "Sangat baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang baik", Decimal("65.00")),
    Grade("D", "Tidak baik", Decimal("25.00")),
)


def grade_for(converted: Decimal) -> Grade:
    """The grade of a converted IKM (rounded to 2 decimals first, half up)."""
    value = quantize(converted, 2)
    for grade in GRADES:
        if value >= grade.lowest:
            return grade
    return GRADES[-1]  # below 25.00 cannot happen with scores 1-4


def quantize(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Round half up to `places` decimals, exactly (a Fraction is never passed through float)."""
    if isinstance(value, Fraction):
        scaled = value * 10**places
        if scaled < 0:
            raise ValueError("Only values of zero or more are rounded here.")
        whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
        return Decimal(whole).scaleb(-places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _exact(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        raise TypeError("Pass exact values (int, Decimal, Fraction), not floats.")
    return Fraction(Decimal(value))


def nrr_from_sums(sums: Sequence[int], respondents: int) -> list[Fraction]:
    """NRR per element from the sums of its scores over `respondents` answers."""
    if respondents <= 0:
        raise ValueError("No responses.")
    return [Fraction(int(total), respondents) for total in sums]


@dataclass(frozen=True)
class ElementResult:
    element: Element
    nrr_exact: Fraction
    weighted_exact: Fraction

    @property
    def nrr(self) -> Decimal:
        return quantize(self.nrr_exact, 3)

    @property
    def weighted(self) -> Decimal:
        return quantize(self.weighted_exact, 4)


@dataclass(frozen=True)
class IKMResult:
    policy: WeightPolicy
    elements: tuple[ElementResult, ...]
    unit_exact: Fraction
    respondents: int | None = None

    @property
    def ikm_unit(self) -> Decimal:
        return quantize(self.unit_exact, 4)

    @property
    def converted(self) -> Decimal:
        return quantize(self.unit_exact * 25, 2)

    @property
    def grade(self) -> Grade:
        return grade_for(self.converted)


def ikm_compute(
    nrr: Sequence[Fraction | Decimal | int],
    *,
    policy: WeightPolicy = DEFAULT_POLICY,
    respondents: int | None = None,
) -> IKMResult:
    """IKM from the nine NRR values (exact arithmetic; see the module's rounding note)."""
    if len(nrr) != ELEMENT_COUNT:
        raise ValueError(f"Expected {ELEMENT_COUNT} NRR values, got {len(nrr)}.")
    results = []
    for element, value in zip(ELEMENTS, nrr, strict=True):
        exact = _exact(value)
        results.append(ElementResult(element, exact, exact * policy.weight))
    unit = sum((r.weighted_exact for r in results), Fraction(0))
    return IKMResult(policy, tuple(results), unit, respondents)


def ikm_from_sums(
    sums: Sequence[int], respondents: int, *, policy: WeightPolicy = DEFAULT_POLICY
) -> IKMResult | None:
    """IKM from per-element score sums (what one aggregate query returns); None without data."""
    if not respondents:
        return None
    return ikm_compute(nrr_from_sums(sums, respondents), policy=policy, respondents=respondents)


def krejcie_morgan(population: int) -> int:
    """Respondents needed for a population (transactions in the period), Krejcie & Morgan.

    S = 3.841 N 0.25 / (0.0025 (N - 1) + 3.841 x 0.25), rounded to the nearest whole respondent
    (half up): this reproduces the published table (100 -> 80, 200 -> 132, 500 -> 217, 1,000 ->
    278, 2,000 -> 322, 5,000 -> 357, 10,000 -> 370), which rounding up does not (500 -> 218,
    2,000 -> 323). From 100,000 on the table gives 384 (the formula's limit, 384.1) where the
    formula still yields 382.6, so 384 is used there.
    """
    if population <= 0:
        return 0
    if population >= 100_000:
        return 384
    n = Decimal(population)
    chi = Decimal("3.841")
    s = chi * n * Decimal("0.25") / (Decimal("0.0025") * (n - 1) + chi * Decimal("0.25"))
    return int(s.quantize(Decimal(1), rounding=ROUND_HALF_UP))

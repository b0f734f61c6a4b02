"""IKM arithmetic (PermenPAN-RB 14/2017) and the Krejcie-Morgan sample, worked by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from balai.visits import ikm


def test_domain_example_weight_0_11():
    # every NRR 3.6590: 3.6590 x 9 x 0.11 = 3.62241; x 25 = 90.56025 -> 90.56
    result = ikm.ikm_compute([Decimal("3.6590")] * 9, policy=ikm.WEIGHT_0_11)
    assert result.unit_exact == Fraction("3.62241")
    assert result.ikm_unit == Decimal("3.6224")
    assert result.converted == Decimal("90.56")
    assert result.grade.letter == "A" and result.grade.label == "Sangat baik"


def test_domain_example_weight_one_ninth():
    # 3.6590 x 9 / 9 = 3.6590; x 25 = 91.475 -> 91.48 (half up; a float would give 91.47)
    result = ikm.ikm_compute([Decimal("3.6590")] * 9, policy=ikm.WEIGHT_ONE_NINTH)
    assert result.unit_exact == Fraction("3.659")
    assert result.converted == Decimal("91.48")


def test_three_respondents_by_hand():
    answers = [
        [4, 4, 3, 4, 3, 4, 4, 3, 3],
        [3, 3, 3, 4, 3, 3, 4, 2, 3],
        [4, 3, 2, 4, 3, 4, 4, 3, 2],
    ]
    sums = [sum(column) for column in zip(*answers, strict=True)]
    assert sums == [11, 10, 8, 12, 9, 11, 12, 8, 8]  # 89 in all
    result = ikm.ikm_from_sums(sums, 3, policy=ikm.WEIGHT_0_11)
    assert [e.nrr for e in result.elements] == [
        Decimal(v)
        for v in ("3.667", "3.333", "2.667", "4.000", "3.000", "3.667", "4.000", "2.667", "2.667")
    ]
    assert result.elements[0].weighted == Decimal("0.4033")  # 11/3 x 0.11 = 0.40333
    # IKM unit = 89/3 x 0.11 = 3.26333; x 25 = 81.58333
    assert result.ikm_unit == Decimal("3.2633")
    assert result.converted == Decimal("81.58")
    assert (result.grade.letter, result.grade.label) == ("B", "Baik")
    exact = ikm.ikm_from_sums(sums, 3, policy=ikm.WEIGHT_ONE_NINTH)
    # 89/27 = 3.29630; x 25 = 82.40741
    assert exact.ikm_unit == Decimal("3.2963")
    assert exact.converted == Decimal("82.41")


def test_all_fours_and_all_ones_are_the_ends_of_the_scale():
    assert ikm.ikm_from_sums([4] * 9, 1, policy=ikm.WEIGHT_ONE_NINTH).converted == Decimal("100")
    assert ikm.ikm_from_sums([1] * 9, 1, policy=ikm.WEIGHT_ONE_NINTH).converted == Decimal("25")
    # 0,11 x 9 = 0,99: the regulation's weight never reaches 100
    assert ikm.ikm_from_sums([4] * 9, 1, policy=ikm.WEIGHT_0_11).converted == Decimal("99.00")


def test_no_responses_no_index():
    assert ikm.ikm_from_sums([0] * 9, 0) is None


@pytest.mark.parametrize(
    ("value", "letter", "label"),
    [
        ("25.00", "D", "Tidak baik"),
        ("64.99", "D", "Tidak baik"),
        ("65.00", "C", "Kurang baik"),
        ("76.60", "C", "Kurang baik"),
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.31", "A", "Sangat baik"),
        ("100.00", "A", "Sangat baik"),
        ("64.995", "C", "Kurang baik"),  # rounds half up to 65.00 first
        ("88.304", "B", "Baik"),  # rounds to 88.30
    ],
)
def test_grade_boundaries(value, letter, label):
    grade = ikm.grade_for(Decimal(value))
    assert (grade.letter, grade.label) == (letter, label)


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (100, 80),
        (200, 132),
        (500, 217),
        (1_000, 278),
        (2_000, 322),
        (5_000, 357),
        (10_000, 370),
        (100_000, 384),
        (1_000_000, 384),
        (50_000_000, 384),
    ],
)
def test_krejcie_morgan_table(population, sample):
    assert ikm.krejcie_morgan(population) == sample


def test_krejcie_morgan_small_and_empty():
    assert ikm.krejcie_morgan(0) == 0
    assert ikm.krejcie_morgan(10) == 10  # 9.99... -> 10: never more than the population
    assert ikm.krejcie_morgan(1) == 1


def test_quantize_is_half_up_and_exact():
    assert ikm.quantize(Fraction(91475, 1000), 2) == Decimal("91.48")
    assert ikm.quantize(Fraction(1, 3), 3) == Decimal("0.333")
    assert ikm.quantize(Fraction(2, 3), 3) == Decimal("0.667")
    assert ikm.quantize(Decimal("0.0005"), 3) == Decimal("0.001")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        ikm.ikm_compute([3.659] * 9)


def test_nine_elements_with_their_names():
    assert [e.code for e in ikm.ELEMENTS] == [f"U{i}" for i in range(1, 10)]
    assert str(ikm.ELEMENTS[7].name) == "Penanganan pengaduan, saran dan masukan"
    assert all(len(e.options) == 4 for e in ikm.ELEMENTS)

"""Each indicator on the hand-written fixture (see conftest.py): the figures worked by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balai.complaints.choices import Channel
from balai.complaints.models import new_tracking_code
from balai.evaluation.indicators import INDICATORS, Scope
from balai.evaluation.periods import Period

from .conftest import NOVEMBER, NOW

OCTOBER = NOVEMBER.previous()


@pytest.fixture
def scope(bontang):
    return Scope(pemda=bontang, now=NOW)


def value(scope, key, period=NOVEMBER):
    return INDICATORS[key].compute(scope, period)


def test_periods():
    assert Period("month", dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == OCTOBER
    q4 = Period.containing("quarter", dt.date(2026, 11, 26))
    assert (q4.start, q4.end, q4.label) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
        "Triwulan IV 2026",
    )
    assert q4.previous() == Period("quarter", dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    year = Period.containing("year", dt.date(2026, 3, 3))
    assert year.previous().start == dt.date(2025, 1, 1)
    custom = Period("custom", dt.date(2026, 11, 10), dt.date(2026, 11, 19))
    assert custom.previous() == Period("custom", dt.date(2026, 10, 31), dt.date(2026, 11, 9))
    assert Period.containing("month", dt.date(2026, 12, 5)).end == dt.date(2026, 12, 31)
    assert NOVEMBER.label == "November 2026"


def test_complaints_received(scope, complaints):
    v = value(scope, "complaints_received")
    # c1-c6 in November: whatsapp c1 c3 c6, phone c2 c5, portal c4
    assert (v.number, v.count) == (6, 6)
    assert v.breakdown == [("Portal", 1), (str(Channel.PHONE.label), 2), ("WhatsApp", 3)]
    assert value(scope, "complaints_received", OCTOBER).number == 2


def test_complaints_within_24h(scope, complaints):
    v = value(scope, "complaints_within_24h")
    # handled: all but the rejected c4 = 5; within 24 h: c1 (2 h), c5 (4 h), c6 (1 h) = 3
    assert (v.count, v.part, v.number) == (5, 3, Decimal("60.0"))
    assert v.breakdown == [
        ("Dinkes", 3, 2, Decimal("66.7")),
        ("Kec. Bontang Selatan", 2, 1, Decimal("50.0")),
    ]
    october = value(scope, "complaints_within_24h", OCTOBER)  # c7 10 h yes, c8 48 h no
    assert (october.count, october.part, october.number) == (2, 1, Decimal("50.0"))


def test_complaints_median_response(scope, complaints):
    v = value(scope, "complaints_median_response")
    # responded: c4 1, c6 1, c1 2, c5 4, c2 30 hours: the middle one is 2
    assert (v.number, v.count) == (Decimal("2.0"), 5)
    # October: 10 and 48 hours, the mean of the two middle ones
    assert value(scope, "complaints_median_response", OCTOBER).number == Decimal("29.0")


def test_complaints_open_breaches(scope, complaints):
    v = value(scope, "complaints_open_breaches")
    # c2 (resolution due 20 Nov, open) and c3 (no response, due 11 Nov); c6 paused: waits
    assert (v.number, v.count) == (2, 2)
    assert v.breakdown == [("Dinkes", 1), ("Kec. Bontang Selatan", 1)]
    assert value(scope, "complaints_open_breaches", OCTOBER).number == 1  # c8


def test_requests_on_time(scope, requests_):
    v = value(scope, "requests_on_time")
    # ready in November: r1 on time, r2 late, r3 ready at the due moment (on time); r4 not ready
    assert (v.count, v.part, v.number) == (3, 2, Decimal("66.7"))
    assert v.breakdown == [
        ("Kantor Kecamatan Bontang Selatan", 2, 1, Decimal("50.0")),
        ("Kantor Kelurahan Tanjung Laut Indah", 1, 1, Decimal("100.0")),
    ]
    october = value(scope, "requests_on_time", OCTOBER)
    assert (october.count, october.part, october.number) == (1, 0, Decimal("0.0"))


def test_ikm(scope, survey):
    v = value(scope, "ikm")
    # every element: (4 + 3 + 2) / 3 = 3 -> 9 x 3 x 0,11 = 2.97 -> x 25 = 74.25 -> C
    assert (v.number, v.count, v.note) == (Decimal("74.25"), 3, "C (Kurang baik)")
    # Kecamatan: NRR 3.5 -> 3.465 -> 86.625 -> 86.63 (B); Tanjung Laut Indah: 2 -> 49.50 (D)
    assert v.breakdown == [
        ("Unit Kantor Kecamatan Bontang Selatan", 2, Decimal("86.63"), "B"),
        ("Unit Kantor Kelurahan Tanjung Laut Indah", 1, Decimal("49.50"), "D"),
    ]
    assert value(scope, "ikm", OCTOBER).number == Decimal("99.00")  # all 4: 3.96 x 25


def test_ikm_without_answers(scope, bontang):
    v = value(scope, "ikm")
    assert (v.number, v.count, v.breakdown) == (None, 0, [])


def test_night_uptake(scope, night):
    v = value(scope, "night_uptake")
    # kecamatan office 5, Tanjung Laut Indah 1 (regular-hours visits do not count)
    assert (v.number, v.count) == (6, 6)
    # a week: 5 x 7 / 30 = 1.17 -> 1.2; 1 x 7 / 30 = 0.23 -> 0.2, below the threshold of 1
    assert v.breakdown == [
        ("Kantor Kecamatan Bontang Selatan", 5, Decimal("1.2"), "Tidak"),
        ("Kantor Kelurahan Tanjung Laut Indah", 1, Decimal("0.2"), "Ya"),
    ]
    # weeks from Monday 26 Oct (1 Nov is a Sunday) to Monday 30 Nov
    assert v.series == [
        ("26/10", 0),
        ("02/11", 2),
        ("09/11", 1),
        ("16/11", 1),
        ("23/11", 2),
        ("30/11", 0),
    ]
    assert value(scope, "night_uptake", OCTOBER).number == 1


def _queries(scope):
    with CaptureQueriesContext(connection) as context:
        for indicator in INDICATORS.values():
            indicator.compute(scope, NOVEMBER)
    return len(context)


def test_aggregates_only(scope, bontang, everything, complaints, night):
    """The number of queries does not grow with the rows: the same after adding more."""
    before = _queries(scope)
    assert before <= 25
    for c in complaints.values():
        c.pk, c.tracking_code = None, new_tracking_code()
        c.save()  # a copy of each complaint
    for v in night:
        v.pk = None
        v.save()
    assert INDICATORS["complaints_received"].compute(scope, NOVEMBER).number == 12
    assert _queries(scope) == before


def test_outreach_coverage(scope, outreach):
    v = value(scope, "outreach_coverage")
    # held by 30 Nov: 64.74.01 (6 Oct) and 64.74.02 (twice): 2 of 3 kecamatan;
    # target line on 30 Nov: 3 x 333 / 364 = 2.74 -> 2.7
    assert (v.number, v.count) == (2, 2)
    assert v.breakdown == [("Layanan Keliling", 2, Decimal("2.7"), 3)]
    # never reached: Bontang Barat, planned on 8 Dec (no distance is known for a kecamatan)
    assert v.series == [("Layanan Keliling: Bontang Barat", None, dt.date(2026, 12, 8))]
    # by 31 October only 64.74.01; the line: 3 x 303 / 364 = 2.5
    october = value(scope, "outreach_coverage", OCTOBER)
    assert october.breakdown == [("Layanan Keliling", 1, Decimal("2.5"), 3)]


def test_outreach_coverage_matches_the_outreach_app(scope, outreach):
    from balai.outreach.coverage import coverage_summary

    assert value(scope, "outreach_coverage").number == coverage_summary(outreach, 2026).reached


def test_outreach_events_and_visits(scope, outreach):
    v = value(scope, "outreach_events")
    assert (v.number, v.breakdown) == (2, [("Layanan Keliling", 2, 65)])
    assert value(scope, "outreach_events", OCTOBER).number == 1
    visits = value(scope, "outreach_event_visits")
    assert (visits.number, visits.breakdown) == (3, [("KTP-el", 2), ("Kartu Keluarga", 1)])


def test_socialization_reach(scope, announcements):
    v = value(scope, "socialization_reach")
    assert (v.number, v.breakdown) == (3, [("Layanan malam", 3, 1)])
    assert value(scope, "socialization_reach", OCTOBER).number == 1

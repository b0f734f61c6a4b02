"""The report's findings on the hand-written fixture (conftest.py), each with its evidence, worked
by hand: coverage below the target line, places never reached (farthest first, with their
distance) and the services most in demand. Low night uptake and OPD breaches are in
test_views.py::test_report_sentences_and_findings."""

import datetime as dt

import pytest

from balai.evaluation.report import report_build
from balai.outreach.models import Event, Program
from balai.regions.models import Region
from balai.service_requests.models import ServiceRequest
from balai.visits.models import Visit

from .conftest import NOVEMBER, NOW, at

BEHIND = "Cakupan di bawah garis target: "
NEVER = "Tempat yang belum pernah dikunjungi (terjauh lebih dulu)"
DEMAND = "Layanan paling dibutuhkan"


def findings(pemda) -> dict:
    report = report_build(pemda, NOVEMBER, now=NOW)
    return {f.title: f for f in report.findings}


@pytest.fixture
def villages(bontang):
    """A village program over four places made desa for the test (Kota Bontang has only
    kelurahan, which village programs leave to their offices), with simulated distances:
    Tanjung Laut 17,4 km, Berbas Tengah 3,2 km, Berbas Pantai unknown, Satimpo 8 km (held on
    12 Nov). Target: every village, for 2026."""
    for code, km in [
        ("64.74.02.1001", 17.4),
        ("64.74.02.1002", 3.2),
        ("64.74.02.1003", None),
        ("64.74.02.1004", 8.0),
    ]:
        Region.objects.filter(code=code).update(kind="desa", distance_to_seat_km=km)
    program = Program.objects.create(
        pemda=bontang,
        name="Jemput Bola Desa",
        slug="jemput-bola",
        venue_level="village",
        target_year=2026,
        target_all=True,
    )
    Event.objects.create(
        pemda=bontang,
        program=program,
        date=dt.date(2026, 11, 12),
        venue_id="64.74.02.1004",
        status="held",
        attendance=20,
    )
    return program


def test_coverage_below_the_target_line(bontang, outreach, villages):
    found = findings(bontang)
    # the target line on 30 Nov: the target x 333 days since 1 Jan / 364 days of the year.
    # Layanan Keliling (kecamatan): 64.74.01 (6 Oct) and 64.74.02 held, 2 of 3;
    #   line 3 x 333 / 364 = 2.744 -> 2,7: below.
    # Jemput Bola Desa: Satimpo held, 1 of 4; line 4 x 333 / 364 = 3.659 -> 3,7: below.
    assert found[BEHIND + "Layanan Keliling"].evidence == [
        "2 dari 3 tempat sudah dikunjungi sampai 30-11-2026; garis target 2,7."
    ]
    assert found[BEHIND + "Jemput Bola Desa"].evidence == [
        "1 dari 4 tempat sudah dikunjungi sampai 30-11-2026; garis target 3,7."
    ]
    assert found[BEHIND + "Layanan Keliling"].severity == "warning"


def test_no_coverage_finding_on_or_above_the_line(bontang, outreach):
    # the third kecamatan held on 1 Nov too: 3 of 3, above the line of 2,7
    Event.objects.filter(venue_id="64.74.03").update(status="held", date=dt.date(2026, 11, 1))
    found = findings(bontang)
    assert not [title for title in found if title.startswith(BEHIND)]
    assert NEVER not in found  # every place reached: nothing never reached either


def test_places_never_reached_farthest_first_with_distance(bontang, outreach, villages):
    found = findings(bontang)
    # Programs by name; within one, farthest first (unknown distance last, written without
    # one): Tanjung Laut 17,4 -> 17 km, Berbas Tengah 3,2 -> 3 km, Berbas Pantai unknown;
    # Satimpo was reached. Layanan Keliling: Bontang Barat is only planned (8 Dec), never held;
    # a kecamatan has no distance, and is not named with a kecamatan.
    assert found[NEVER].evidence == [
        "Jemput Bola Desa: Tanjung Laut (Kec. Bontang Selatan), 17 km dari pusat pemerintahan",
        "Jemput Bola Desa: Berbas Tengah (Kec. Bontang Selatan), 3 km dari pusat pemerintahan",
        "Jemput Bola Desa: Berbas Pantai (Kec. Bontang Selatan)",
        "Layanan Keliling: Bontang Barat; dijadwalkan 08-12-2026",
    ]


def test_a_place_held_in_an_earlier_year_is_not_never_reached(bontang, villages):
    Event.objects.create(
        pemda=bontang,
        program=villages,
        date=dt.date(2025, 8, 1),
        venue_id="64.74.02.1001",
        status="held",
    )
    evidence = findings(bontang)[NEVER].evidence
    assert [e.split(" (")[0] for e in evidence] == [
        "Jemput Bola Desa: Berbas Tengah",
        "Jemput Bola Desa: Berbas Pantai",
    ]


def test_services_most_in_demand(bontang, everything, requests_, points):
    from balai.catalog.models import Service

    kk = Service.objects.get(pemda=bontang, code="kk")
    # one more visit seeking Kartu Keluarga in November (a regular one: every visit counts),
    # one in October (not counted)
    for when in (at(11, 20, 9), at(10, 20, 9)):
        Visit.objects.create(
            pemda=bontang,
            point=points["kec"],
            visited_at=when,
            session_kind="regular",
            occupation="swasta",
        ).services.add(kk)
    # two more services requested once each in November, one also in October (not counted)
    for code, name, submitted in [
        ("sku", "Surat keterangan usaha", at(11, 25, 9)),
        ("akta", "Akta kelahiran", at(11, 25, 10)),
        ("akta2", "Akta kematian", at(10, 25, 10)),
    ]:
        service = Service.objects.create(
            pemda=bontang, code=code, name=name, category="adminduk", opd=kk.opd
        )
        clone = ServiceRequest.objects.get(pk=requests_["r4"].pk)
        clone.pk, clone.tracking_code = None, f"X{code.upper()}"[:9]
        clone.service, clone.submitted_at, clone.clock_started_at = service, submitted, submitted
        clone.save()
    found = findings(bontang)
    # KTP-el: sought 2 (10 Nov, event), requested 4 (r1-r4; r5 is October) = 6
    # Kartu Keluarga: sought 1 (17 Nov, event) + 1 (20 Nov) = 2, requested 0 = 2
    # Akta kelahiran and Surat keterangan usaha: requested 1 each = 1 (a tie: by name)
    assert found[DEMAND].evidence == [
        "KTP-el: 2 kunjungan, 4 permohonan",
        "Kartu Keluarga: 2 kunjungan, 0 permohonan",
        "Akta kelahiran: 0 kunjungan, 1 permohonan",
        "Surat keterangan usaha: 0 kunjungan, 1 permohonan",
    ]
    assert found[DEMAND].severity == "info"
    report = report_build(bontang, NOVEMBER, now=NOW)
    assert report.top_services == [
        ("KTP-el", 2, 4),
        ("Kartu Keluarga", 2, 0),
        ("Akta kelahiran", 0, 1),
        ("Surat keterangan usaha", 0, 1),
    ]


def test_services_most_in_demand_keeps_the_top_five(bontang, requests_, points):
    from balai.catalog.models import Service

    ktp = Service.objects.get(pemda=bontang, code="ktp")
    for i in range(7):  # seven services sought 1..7 times in November
        service = Service.objects.create(
            pemda=bontang, code=f"s{i}", name=f"Layanan {i}", category="surat", opd=ktp.opd
        )
        for _ in range(i + 1):
            Visit.objects.create(
                pemda=bontang,
                point=points["kec"],
                visited_at=at(11, 9, 9),
                session_kind="regular",
                occupation="swasta",
            ).services.add(service)
    evidence = findings(bontang)[DEMAND].evidence
    # Layanan 6 (7), Layanan 5 (6), Layanan 4 (5); then KTP-el (4 requests) and Layanan 3 (4
    # visits) tie, by name; Layanan 2, 1 and 0 are left out
    assert evidence == [
        "Layanan 6: 7 kunjungan, 0 permohonan",
        "Layanan 5: 6 kunjungan, 0 permohonan",
        "Layanan 4: 5 kunjungan, 0 permohonan",
        "KTP-el: 0 kunjungan, 4 permohonan",
        "Layanan 3: 4 kunjungan, 0 permohonan",
    ]

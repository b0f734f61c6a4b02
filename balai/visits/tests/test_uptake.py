"""The uptake evaluation on a small fixture worked by hand (Bontang's first two weeks).

Period Mon 13 - Sun 26 June 2022 (14 days = 2 weeks), WITA.
  Kecamatan office (60,000 residents): night 6 (3 in each week: swasta 3 | swasta 1, pns 2),
                                       regular 4 (nelayan 2, wiraswasta 2)
  Tanjung Laut Indah (8,000 residents): night 1 (week 2, swasta), regular 5 (nelayan 3,
                                       wiraswasta 2)
  Berbas Tengah: a night service, no visitor, population unknown.
Night visitors 7: swasta 5 (71.4 %), pns 2 (28.6 %); regular 9: nelayan 5 (55.6 %),
wiraswasta 4 (44.4 %). Thresholds: 2 night visits a week, 0.12 per 1,000, a 15-point gap.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balai.visits.models import AreaPopulation, UptakeSettings
from balai.visits.services import VisitRow, visits_log_batch
from balai.visits.uptake import uptake_evaluation

from .conftest import WITA, _point

NOW = dt.datetime(2022, 6, 27, 10, 0, tzinfo=WITA)
START, END = dt.date(2022, 6, 13), dt.date(2022, 6, 26)


def at(day, hour, minute=0):
    return dt.datetime(2022, 6, day, hour, minute, tzinfo=WITA)


def log(point, services, actor, when, session, occupations):
    rows = [
        VisitRow(services=[services["ktp"]], occupation=o, visited_at=when, session_kind=session)
        for o in occupations
    ]
    visits_log_batch(actor=actor, point=point, rows=rows)


@pytest.fixture
def fortnight(bontang, kecamatan, points, services, front_office):
    k, t = points["kecamatan"], points["tli"]
    log(k, services, front_office, at(14, 19, 30), "night", ["swasta"] * 3)
    log(k, services, front_office, at(21, 19, 30), "night", ["swasta", "pns", "pns"])
    log(k, services, front_office, at(15, 10), "regular", ["nelayan"] * 2 + ["wiraswasta"] * 2)
    log(t, services, front_office, at(22, 20), "night", ["swasta"])
    log(t, services, front_office, at(14, 9), "regular", ["nelayan"] * 3 + ["wiraswasta"] * 2)
    AreaPopulation.objects.create(pemda=bontang, region_id="64.74.02", population=60_000, year=2022)
    AreaPopulation.objects.create(
        pemda=bontang, region_id="64.74.02.1006", population=8_000, year=2022
    )
    UptakeSettings.objects.create(
        pemda=bontang,
        min_night_visits_per_week=Decimal(2),
        min_night_visits_per_1000=Decimal("0.12"),
        occupation_gap_points=15,
    )
    points["berbas"] = _point(
        bontang,
        kecamatan,
        "kel-berbas-tengah",
        "Kantor Kelurahan Berbas Tengah",
        "64.74.02.1002",
        "kantor_kelurahan",
        [services["ktp"]],
    )
    return points


@time_machine.travel(NOW)
def test_figures_per_office(bontang, fortnight, leader):
    uptake = uptake_evaluation(leader, bontang, start=START, end=END)
    assert uptake.weeks == Decimal("2.0") and uptake.total == 16 and uptake.night_total == 7
    offices = {o.point.slug: o for o in uptake.offices}
    k, t, b = (
        offices["kec-bontang-selatan"],
        offices["kel-tanjung-laut-indah"],
        offices["kel-berbas-tengah"],
    )
    assert (k.regular, k.night, k.event) == (4, 6, 0)
    assert (t.regular, t.night) == (5, 1)
    assert (b.total, b.population) == (0, None)
    assert (k.night_per_week, t.night_per_week, b.night_per_week) == (
        Decimal("3.0"),
        Decimal("0.5"),
        Decimal("0.0"),
    )
    assert (k.visits_per_1000, k.night_per_1000) == (Decimal("0.17"), Decimal("0.10"))
    assert (t.visits_per_1000, t.night_per_1000) == (Decimal("0.75"), Decimal("0.13"))
    assert (k.flags, t.flags, b.flags) == (["per_1000"], ["per_week"], ["per_week"])
    assert k.by_week_night == {dt.date(2022, 6, 13): 3, dt.date(2022, 6, 20): 3}


@time_machine.travel(NOW)
def test_weeks_hours_launch_and_occupation_mix(bontang, fortnight, leader):
    uptake = uptake_evaluation(leader, bontang, start=START, end=END)
    assert uptake.weeks_axis == [dt.date(2022, 6, 13), dt.date(2022, 6, 20)]
    assert uptake.by_week[dt.date(2022, 6, 13)] == {"regular": 9, "night": 3, "event": 0}
    assert uptake.by_week[dt.date(2022, 6, 20)] == {"regular": 0, "night": 4, "event": 0}
    hours = {h: v for h, v in uptake.by_hour.items() if any(v.values())}
    assert hours == {
        9: {"regular": 5, "night": 0, "event": 0},
        10: {"regular": 4, "night": 0, "event": 0},
        19: {"regular": 0, "night": 6, "event": 0},  # 19.30 WITA, 11.30 UTC
        20: {"regular": 0, "night": 1, "event": 0},
    }
    assert uptake.launch == dt.date(2022, 6, 14)
    assert uptake.trend == [(dt.date(2022, 6, 13), 3), (dt.date(2022, 6, 20), 4)]
    mix = {row[0]: (row[2], row[3]) for row in uptake.occupation_mix}
    assert mix == {
        "pns": (Decimal("28.6"), Decimal("0.0")),
        "swasta": (Decimal("71.4"), Decimal("0.0")),
        "wiraswasta": (Decimal("0.0"), Decimal("44.4")),
        "nelayan": (Decimal("0.0"), Decimal("55.6")),
    }


@time_machine.travel(NOW)
def test_findings_in_indonesian_with_their_visit_lists(client, bontang, fortnight, leader):
    uptake = uptake_evaluation(leader, bontang, start=START, end=END)
    texts = [f.text for f in uptake.findings]
    assert texts[0] == "Kantor Kelurahan Berbas Tengah: 0 pengunjung layanan malam dalam 2 minggu."
    assert texts[1] == (
        "Kantor Kelurahan Tanjung Laut Indah: 1 pengunjung layanan malam dalam 2 minggu; "
        "sebagian besar pengunjungnya nelayan dan wiraswasta / pedagang."
    )
    assert texts[2] == (
        "Kantor Kecamatan Bontang Selatan: 6 pengunjung layanan malam dalam 2 minggu "
        "(0,10 per 1.000 penduduk); sebagian besar pengunjungnya karyawan swasta dan nelayan."
    )
    assert texts[3] == (
        "Pengunjung layanan malam terbanyak: Kantor Kecamatan Bontang Selatan, 6 (3 per minggu)."
    )
    assert (
        "Layanan malam menarik karyawan swasta: 71,4% pengunjung malam, dibanding 0% pada jam "
        "reguler." in texts
    )
    assert (
        "Sedikit nelayan memakai layanan malam: 0% pengunjung malam, dibanding 55,6% pada "
        "jam reguler." in texts
    )
    # each finding links to the visits behind it
    client.force_login(leader)
    listing = reverse("staff:visit_list", args=[bontang.slug])
    expected = {1: 1, 2: 6, 3: 6}
    for index, count in expected.items():
        response = client.get(f"{listing}?{urlencode(uptake.findings[index].link)}")
        assert response.context["page"].paginator.count == count, texts[index]
    fewer = next(f for f in uptake.findings if f.text.startswith("Sedikit nelayan"))
    assert client.get(f"{listing}?{urlencode(fewer.link)}").context["page"].paginator.count == 5


@time_machine.travel(NOW)
def test_uptake_page_shows_the_figures(client, bontang, fortnight, leader):
    client.force_login(leader)
    url = reverse("staff:visit_uptake", args=[bontang.slug])
    html = client.get(url, {"start": "2022-06-13", "end": "2022-06-26"}).text
    assert 'id="uptake-total">16<' in html
    assert "sebagian besar pengunjungnya nelayan dan wiraswasta / pedagang" in html
    assert html.count("<svg") >= 3 and "<script>" not in html
    assert "layanan malam sepi" in html


@time_machine.travel(NOW)
def test_area_staff_see_only_their_area(client, bontang, fortnight, make_member):
    from balai.accounts.choices import Role
    from balai.regions.models import Region

    tli_staff = make_member(
        bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.02.1006")
    )
    uptake = uptake_evaluation(tli_staff, bontang, start=START, end=END)
    assert [o.point.slug for o in uptake.offices] == ["kel-tanjung-laut-indah"]
    assert uptake.total == 6
    operator = make_member(bontang, Role.OPERATOR)
    client.force_login(operator)
    assert client.get(reverse("staff:visit_uptake", args=[bontang.slug])).status_code == 403


def _queries(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured.captured_queries)


@time_machine.travel(NOW)
def test_uptake_page_queries_do_not_grow_with_the_data(
    client, bontang, fortnight, services, front_office, leader
):
    client.force_login(leader)
    url = reverse("staff:visit_uptake", args=[bontang.slug])
    query = {"start": "2022-06-13", "end": "2022-06-26"}
    few = _queries(client, url, query)
    for day in range(13, 27):
        for point in fortnight.values():
            log(point, services, front_office, at(day, 19), "night", ["petani", "buruh"])
            log(point, services, front_office, at(day, 8), "regular", ["irt"])
    assert _queries(client, url, query) == few

"""`planner.candidates_for`: the priority components from the region tree, populations, past
events and office visits (Kabupaten Bekasi's real desa)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from balai.outreach import planner
from balai.outreach.services import event_schedule
from balai.regions.models import Region
from balai.visits.models import AreaPopulation, Visit


def test_components_facts_and_weights(
    bekasi, village_program, kecamatan_program, admin, django_assert_max_num_queries
):
    desa = list(Region.objects.filter(code__startswith="32.16.", level=4, kind="desa")[:3])
    near, far, busy = desa
    Region.objects.filter(code__startswith="32.16.", level=4).update(distance_to_seat_km=10)
    Region.objects.filter(code=far.code).update(distance_to_seat_km=40)
    for village, people in [(near, 1000), (far, 4000), (busy, 2000)]:
        AreaPopulation.objects.create(pemda=bekasi, region=village, population=people, year=2023)
    event_schedule(
        actor=admin, program=village_program, date=dt.date(2022, 7, 5), venue=near, status="held"
    )
    tz = ZoneInfo(bekasi.timezone)
    Visit.objects.bulk_create(
        Visit(
            pemda=bekasi,
            visited_at=dt.datetime(2023, 3, 1, 9, 0, tzinfo=tz),
            village=busy,
            occupation="swasta",
        )
        for _ in range(20)
    )
    start = dt.date(2023, 7, 4)
    weights = {"remoteness": 2, "population": 1, "since_visit": 1, "demand": 0}
    with django_assert_max_num_queries(4):
        cands = planner.candidates_for(village_program, start, weights)
    by_key = {c.key: c for c in cands}
    kelurahan = Region.objects.filter(code__startswith="32.16.", level=4, kind="kelurahan")
    assert not set(kelurahan.values_list("code", flat=True)) & set(by_key)
    c_near, c_far, c_busy = by_key[near.code], by_key[far.code], by_key[busy.code]
    assert c_far.components["remoteness"] == 1.0 and c_near.components["remoteness"] == 0.25
    assert c_far.components["population"] == 1.0 and c_near.components["population"] == 0.25
    assert c_near.facts["days_since_visit"] == 364
    assert c_near.components["since_visit"] == pytest.approx(364 / (3 * 365))
    assert c_far.components["since_visit"] == 1.0  # never visited
    assert c_busy.facts["visits_per_1000"] == 10.0 and c_busy.components["demand"] == 0.0
    assert c_far.components["demand"] == 1.0
    # (2 x 1 + 1 x 1 + 1 x 1) / 4 = 1.0 and (2 x 0.25 + 0.25 + 0.333) / 4
    assert c_far.weight == pytest.approx(1.0)
    assert c_near.weight == pytest.approx((0.5 + 0.25 + 364 / 1095) / 4)
    assert c_near.group == near.parent_id and c_near.group_name == near.parent.name
    assert "demand" not in [k for k, v in c_far.contributions.items() if v]
    text = planner.factor_phrases(c_far)
    assert text[0].startswith("40 km")  # the heaviest factor first
    assert len(text) == 3  # distance, never visited, residents; demand has no weight

    kecamatan = planner.candidates_for(kecamatan_program, start, weights)
    assert {c.key for c in kecamatan} == set(
        Region.objects.filter(parent_id="32.16", level=3).values_list("code", flat=True)
    )
    assert all(c.group == c.key for c in kecamatan)

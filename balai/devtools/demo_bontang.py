"""Simulated night service (layanan malam) of Kecamatan Bontang Selatan, Kota Bontang.

The kantor kecamatan and its kelurahan offices open Monday-Thursday 19.00-21.00 WITA from the
launch on 13 June 2022. Six weeks of logbook entries follow the program's evaluation: daytime
visits as usual; night visits few and uneven, mostly employees (private and civil servants);
in the coastal kelurahan, where many residents fish or run a business, daytime visitors are
largely fishers and entrepreneurs and the night counter stays nearly empty (Tanjung Laut
Indah: one night visitor in the first two weeks). The kantor kecamatan stands in Bontang
Lestari, whose residents use its night counter; the five other kelurahan offices have their
own. Populations are simulated. Dates are fixed, so the data is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from balai.accounts.models import User
from balai.organizations.choices import ServicePointKind, SessionKind, UnitKind
from balai.organizations.hours import schedule_for
from balai.organizations.models import Pemda, ServicePoint, Unit
from balai.regions.models import Region, SubVillageUnit
from balai.visits.choices import Outcome
from balai.visits.models import AreaPopulation, Visit
from balai.visits.services import VisitRow, visits_log_batch

from .demo_offices import SIMULATED, catalog_ensure, morning_moment, pick, point_ensure, poisson
from .demo_standards import BONTANG_SERVICES, common_internal, complaints_text

KECAMATAN = "64.74.02"
LAUNCH = dt.date(2022, 6, 13)  # Monday: the mayor launched the night service that evening
WEEKS = 6
END = LAUNCH + dt.timedelta(weeks=WEEKS, days=-1)  # Sunday 24 July 2022
STANDARDS_FROM = dt.date(2022, 1, 3)
TANJUNG_LAUT_INDAH = "64.74.02.1006"
BONTANG_LESTARI = "64.74.02.1005"

# Simulated residents per kelurahan (2022) and what they mostly do for a living.
KELURAHAN = {
    # code: (residents, profile)
    "64.74.02.1001": (13_900, "coastal"),  # Tanjung Laut
    "64.74.02.1002": (11_800, "employees"),  # Berbas Tengah
    "64.74.02.1003": (9_600, "coastal"),  # Berbas Pantai
    "64.74.02.1004": (8_700, "employees"),  # Satimpo
    "64.74.02.1005": (12_400, "mixed"),  # Bontang Lestari
    "64.74.02.1006": (15_300, "coastal"),  # Tanjung Laut Indah
}
DAY_OCCUPATIONS = {
    "coastal": {
        "nelayan": 30,
        "wiraswasta": 26,
        "irt": 12,
        "swasta": 9,
        "buruh": 8,
        "pelajar": 5,
        "pns": 3,
        "petani": 3,
        "tidak_bekerja": 4,
    },
    "employees": {
        "swasta": 36,
        "pns": 14,
        "wiraswasta": 15,
        "irt": 12,
        "buruh": 8,
        "pelajar": 6,
        "nelayan": 3,
        "pensiunan": 3,
        "tidak_bekerja": 3,
    },
    "mixed": {
        "petani": 18,
        "wiraswasta": 20,
        "nelayan": 14,
        "swasta": 16,
        "buruh": 10,
        "irt": 10,
        "pns": 5,
        "pelajar": 4,
        "tidak_bekerja": 3,
    },
}
NIGHT_OCCUPATIONS = {
    "swasta": 52,
    "pns": 22,
    "wiraswasta": 7,
    "irt": 6,
    "pelajar": 5,
    "buruh": 4,
    "nelayan": 2,
    "lainnya": 2,
}
# Average night visitors per session (Monday-Thursday, 19.00-21.00), per office.
NIGHT_RATE = {
    KECAMATAN: 1.5,
    "64.74.02.1004": 1.3,  # Satimpo: many employees, the best night uptake
    "64.74.02.1002": 0.8,  # Berbas Tengah
    "64.74.02.1001": 0.35,  # Tanjung Laut
    "64.74.02.1003": 0.25,  # Berbas Pantai
}
# The launch draws curiosity, interest sags, socialization after the evaluation helps a bit.
WEEK_FACTOR = (1.3, 1.0, 0.75, 0.75, 0.95, 1.1)
DAY_RATE = {KECAMATAN: 24.0}  # daytime visitors per working day; kelurahan offices: KELURAHAN_DAY
KELURAHAN_DAY = 9.0
DAY_SERVICES_KECAMATAN = {
    "ktp-el": 34,
    "kk": 24,
    "akta-kelahiran": 14,
    "domisili": 11,
    "sktm": 9,
    "pengantar-nikah": 8,
}
DAY_SERVICES_KELURAHAN = {
    "domisili": 30,
    "kk": 22,
    "akta-kelahiran": 16,
    "sktm": 18,
    "pengantar-nikah": 14,
}
NIGHT_SERVICES = {
    "domisili": 30,
    "kk": 25,
    "pengantar-nikah": 16,
    "sktm": 12,
    "akta-kelahiran": 12,
    "ktp-el": 5,
}
OUTCOMES = {
    Outcome.SERVED: 80,
    Outcome.INCOMPLETE: 10,
    Outcome.INFORMATION: 7,
    Outcome.REFERRED: 3,
}


def demo_bontang_night_service(pemda: Pemda, rng: random.Random) -> int:
    """Create the catalog, offices, hours, populations and six weeks of visits once.

    Returns how many visits were created (0 when they exist already).
    """
    admin = User.objects.get(username=f"{pemda.slug}.admin")
    services = catalog_ensure(
        pemda,
        BONTANG_SERVICES,
        actor=admin,
        effective_from=STANDARDS_FROM,
        decree="Keputusan Camat Bontang Selatan tentang Standar Pelayanan (simulasi demo)",
        common=common_internal("kantor kecamatan/kelurahan"),
        complaints_handling=complaints_text("kantor kecamatan atau kelurahan"),
        opd_override=dict.fromkeys(("domisili", "sktm", "pengantar-nikah"), "Kec. Bontang Selatan"),
    )
    points = _points(pemda, services, admin)
    for code, (residents, _profile) in KELURAHAN.items():
        _population(pemda, code, residents)
    _population(pemda, KECAMATAN, sum(residents for residents, _p in KELURAHAN.values()))
    if Visit.objects.filter(pemda=pemda).exists():
        return 0
    front_office = User.objects.get(username=f"{pemda.slug}.kecamatan")
    created = 0
    rows_by_point = _visits(pemda, points, services, rng)
    for region_code, point in points.items():
        rows = rows_by_point[region_code]
        if rows:
            created += len(
                visits_log_batch(actor=front_office, point=point, rows=rows, source="demo")
            )
    return created


def _points(pemda, services, actor) -> dict[str, ServicePoint]:
    """The kantor kecamatan and the six kelurahan offices, keyed by their area's code."""
    units = {
        u.region_id: u
        for u in Unit.objects.filter(
            pemda=pemda,
            kind__in=(UnitKind.KANTOR_KECAMATAN, UnitKind.KANTOR_KELURAHAN),
            region__code__startswith=KECAMATAN,
        ).select_related("region")
    }
    kelurahan_offers = [
        services[code] for code in ("kk", "akta-kelahiran", "domisili", "sktm", "pengantar-nikah")
    ]
    points = {}
    for code, unit in sorted(units.items()):
        is_kecamatan = code == KECAMATAN
        points[code] = point_ensure(
            pemda,
            unit,
            kind=ServicePointKind.KANTOR_KECAMATAN
            if is_kecamatan
            else ServicePointKind.KANTOR_KELURAHAN,
            region=unit.region,
            services=list(services.values()) if is_kecamatan else kelurahan_offers,
            actor=actor,
            # Bontang Lestari's residents use the night counter of the kantor kecamatan.
            night_from=None if code == BONTANG_LESTARI else LAUNCH,
        )
    return points


def _population(pemda, code: str, residents: int) -> None:
    AreaPopulation.objects.get_or_create(
        region_id=code,
        defaults={
            "pemda": pemda,
            "population": residents,
            "year": LAUNCH.year,
            "source": SIMULATED,
        },
    )


def _rts() -> dict[str, list[str]]:
    rts: dict[str, list[str]] = defaultdict(list)
    for village_id, name in SubVillageUnit.objects.filter(
        village__parent_id=KECAMATAN, kind="rt"
    ).values_list("village_id", "name"):
        rts[village_id].append(name)
    return {code: sorted(names) for code, names in rts.items()}


def _visits(pemda, points, services, rng: random.Random) -> dict[str, list[VisitRow]]:
    """Every visit of the six weeks, as logbook rows per office (not yet saved)."""
    tz = ZoneInfo(pemda.timezone)
    villages = {r.code: r for r in Region.objects.filter(parent_id=KECAMATAN)}
    rts = _rts()
    rows: dict[str, list[VisitRow]] = defaultdict(list)
    tli_nights = _tanjung_laut_indah_nights(rng)
    for region_code, point in points.items():
        schedule = schedule_for(point)
        day, session_index = LAUNCH, 0
        while day <= END:
            intervals = schedule.intervals_on(day)
            regular = [(s, e) for s, e, kind in intervals if kind == SessionKind.REGULAR]
            night = [(s, e) for s, e, kind in intervals if kind == SessionKind.NIGHT]
            week = (day - LAUNCH).days // 7
            if regular:
                mean = DAY_RATE.get(region_code, KELURAHAN_DAY)
                count = max(0, round(rng.gauss(mean, mean * 0.25)))
                for _ in range(count):
                    rows[region_code].append(
                        _row(rng, services, villages, rts, region_code, regular, night=False)
                    )
            if night:
                if region_code == TANJUNG_LAUT_INDAH:
                    count = 1 if session_index in tli_nights else 0
                elif day == LAUNCH:
                    count = 6 if region_code == KECAMATAN else 2  # launch night
                else:
                    count = poisson(rng, NIGHT_RATE.get(region_code, 0) * WEEK_FACTOR[week])
                for _ in range(count):
                    rows[region_code].append(
                        _row(rng, services, villages, rts, region_code, night, night=True)
                    )
                session_index += 1
            day += dt.timedelta(days=1)
        rows[region_code].sort(key=lambda row: row.visited_at.astimezone(tz))
    return rows


def _tanjung_laut_indah_nights(rng: random.Random) -> set[int]:
    """Night sessions (0-23, four a week) with a visitor at Tanjung Laut Indah: one in the
    first two weeks, and the same again in each fortnight after."""
    return {rng.randrange(0, 8), rng.randrange(8, 16), rng.randrange(16, 24)}


def _visitor_village(rng, region_code: str) -> str:
    if region_code == KECAMATAN:
        weights = {code: residents for code, (residents, _p) in KELURAHAN.items()}
        weights[BONTANG_LESTARI] *= 3  # the office stands there
        return pick(rng, weights)
    if rng.random() < 0.92:
        return region_code
    return rng.choice(sorted(KELURAHAN))


def _row(rng, services, villages, rts, region_code, intervals, *, night: bool) -> VisitRow:
    village = _visitor_village(rng, region_code)
    if night:
        occupation = pick(rng, NIGHT_OCCUPATIONS)
        codes = NIGHT_SERVICES
        visited_at = rng.choice(intervals)[0] + dt.timedelta(minutes=rng.randrange(115))
    else:
        occupation = pick(rng, DAY_OCCUPATIONS[KELURAHAN[village][1]])
        codes = DAY_SERVICES_KECAMATAN if region_code == KECAMATAN else DAY_SERVICES_KELURAHAN
        visited_at = morning_moment(rng, intervals)
    sought = [pick(rng, codes)]
    if rng.random() < 0.15:
        sought.append(pick(rng, codes))
    return VisitRow(
        services=[services[code] for code in dict.fromkeys(sought)],
        occupation=occupation,
        outcome=pick(rng, OUTCOMES),
        session_kind=SessionKind.NIGHT if night else SessionKind.REGULAR,
        visited_at=visited_at,
        village=villages[village],
        rt=rng.choice(rts[village]) if rts.get(village) and rng.random() < 0.8 else "",
    )

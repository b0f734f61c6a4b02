"""Shared pieces of the simulated office data: catalogs, service points, random moments.

Everything created here is demo data (the Pemda is marked `is_demo`). Each helper creates what
is missing and leaves what exists alone, so a second `balai demo-data` changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from balai.catalog.models import Service
from balai.catalog.services import service_create, standard_draft_create, standard_publish
from balai.core.calendars import WorkingCalendar
from balai.organizations.choices import SessionKind
from balai.organizations.models import OPD, ServicePoint
from balai.organizations.services import opening_rule_add, service_point_create

# Perpres 21/2023 working time (Monday-Thursday 07.30-16.00, Friday 07.30-16.30, with breaks).
REGULAR_HOURS: tuple[tuple[int, dt.time, dt.time], ...] = (
    *(
        (day, start, end)
        for day in range(4)
        for start, end in ((dt.time(7, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(16, 0)))
    ),
    (4, dt.time(7, 30), dt.time(11, 30)),
    (4, dt.time(13, 0), dt.time(16, 30)),
)

SIMULATED = "Simulasi data demo Balai, bukan data resmi"


@dataclass(frozen=True)
class ServiceSpec:
    """A service and its Standar Pelayanan (all 14 components)."""

    code: str
    name: str
    category: str
    opd: str  # short name of the responsible OPD
    summary: str
    keywords: str
    requirements: tuple[str | tuple[str, bool], ...]
    procedure: tuple[str, ...]
    time: int
    unit: str
    product: str
    legal_basis: tuple[str, ...]
    staff_competence: str
    staff_count: str
    facilities_extra: str = ""
    fee_note: str = ""
    internal: Mapping[str, str] = field(default_factory=dict)


def numbered(lines: Sequence[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def catalog_ensure(
    pemda,
    specs: Sequence[ServiceSpec],
    *,
    actor,
    effective_from: dt.date,
    decree: str,
    common: Mapping[str, str],
    complaints_handling: str,
    opd_override: Mapping[str, str] | None = None,
) -> dict[str, Service]:
    """The services of `specs`, each with a published standard (backdated, from a decree).

    `common` holds the internal components shared by every service of the catalog
    (facilities, internal_supervision, service_guarantee, security_guarantee,
    performance_evaluation); a spec's `internal` overrides them.
    """
    opds = {o.short_name: o for o in OPD.objects.filter(pemda=pemda)}
    existing = {s.code: s for s in Service.objects.filter(pemda=pemda)}
    services: dict[str, Service] = {}
    for spec in specs:
        if spec.code in existing:
            services[spec.code] = existing[spec.code]
            continue
        opd_name = (opd_override or {}).get(spec.code, spec.opd)
        service = service_create(
            actor=actor,
            pemda=pemda,
            code=spec.code,
            name=spec.name,
            category=spec.category,
            opd=opds[opd_name],
            summary=spec.summary,
            keywords=spec.keywords,
        )
        internal = {
            "legal_basis": numbered(spec.legal_basis),
            "staff_competence": spec.staff_competence,
            "staff_count": spec.staff_count,
            **common,
            **spec.internal,
        }
        if spec.facilities_extra:
            internal["facilities"] = f"{common['facilities']} {spec.facilities_extra}"
        fee_note = spec.fee_note or (
            "Dokumen kependudukan tidak dipungut biaya (UU 24/2013 Pasal 79A)."
            if spec.category == "adminduk"
            else ""
        )
        draft = standard_draft_create(
            actor=actor,
            service=service,
            effective_from=effective_from,
            decree=decree,
            procedure=numbered(spec.procedure),
            processing_time=spec.time,
            processing_unit=spec.unit,
            fee=0,
            fee_note=fee_note,
            product=spec.product,
            complaints_handling=complaints_handling,
            requirements=spec.requirements,
            **internal,
        )
        standard_publish(standard=draft, actor=actor, backdate=True)
        services[spec.code] = service
    return services


def point_ensure(
    pemda,
    unit,
    *,
    kind: str,
    region,
    services,
    actor,
    night_from: dt.date | None = None,
    night_days: Sequence[int] = (0, 1, 2, 3),
    night_hours: tuple[dt.time, dt.time] = (dt.time(19, 0), dt.time(21, 0)),
) -> ServicePoint:
    """The service point of `unit` with regular (Perpres) hours and, from `night_from`, a
    night session on `night_days`. An existing point (same unit) is returned as it is."""
    point = ServicePoint.objects.filter(pemda=pemda, unit=unit).first()
    if point is not None:
        return point
    point = service_point_create(
        actor=actor,
        pemda=pemda,
        name=unit.name,
        kind=kind,
        region=region,
        unit=unit,
        address=f"{region.kind.title()} {region.name} (alamat simulasi)",
        lat=region.lat,
        lng=region.lng,
        services=services,
    )
    for weekday, start, end in REGULAR_HOURS:
        opening_rule_add(actor=actor, point=point, weekday=weekday, start=start, end=end)
    if night_from is not None:
        for weekday in night_days:
            opening_rule_add(
                actor=actor,
                point=point,
                weekday=weekday,
                start=night_hours[0],
                end=night_hours[1],
                session_kind=SessionKind.NIGHT,
                valid_from=night_from,
            )
    return point


# -- randomness ---------------------------------------------------------------------------------
def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth; the rates here are small)."""
    if lam <= 0:
        return 0
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def pick(rng: random.Random, weights: Mapping):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def moment_in(
    rng: random.Random, intervals: Sequence[tuple[dt.datetime, dt.datetime]]
) -> dt.datetime:
    """A random moment (whole minutes) inside the given intervals, weighted by their length."""
    spans = [(start, (end - start).total_seconds() // 60) for start, end in intervals]
    spans = [(start, minutes) for start, minutes in spans if minutes > 0]
    start, minutes = rng.choices(spans, weights=[m for _s, m in spans])[0]
    return start + dt.timedelta(minutes=rng.randrange(int(minutes)))


def morning_moment(rng: random.Random, intervals) -> dt.datetime:
    """A visit time in working hours, busier in the morning (queues form early)."""
    if len(intervals) > 1 and rng.random() < 0.7:
        return moment_in(rng, intervals[:1])
    return moment_in(rng, intervals)


def working_moment_between(
    rng: random.Random, calendar: WorkingCalendar, since: dt.datetime, until: dt.datetime
) -> dt.datetime | None:
    """A random moment of working time in [since, until), or None when there is none."""
    tz = calendar.tz
    day, last = since.astimezone(tz).date(), until.astimezone(tz).date()
    spans = []
    while day <= last:
        for start, end in calendar.intervals_on(day):
            start, end = max(start, since), min(end, until)
            if end - start >= dt.timedelta(minutes=1):
                spans.append((start, end))
        day += dt.timedelta(days=1)
    return moment_in(rng, spans) if spans else None

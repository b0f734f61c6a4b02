"""Demand at a program's events: visits per service, which services to bring, how often to run.

Bekasi's decision (DOMAIN.md 1c): the most-demanded services decide which come to village
events and how often events run. So, from the visit logbook:
- per held event: visits and the services sought there;
- per service over the year: visits, share and cumulative share, ranked; the services that
  make up the first `SHARE_TO_BRING` of demand (at most `MAX_TO_BRING`) are the ones to bring;
- a suggested number of event days a week: the observed visits per event day against the
  capacity of one event day, scaled from the days a week the program ran.

A visit counts for the event it is linked to (`Visit.event`, chosen in the logbook). Visits
logged with session "event" in the year but linked to no event (older rows, or the event was
not chosen) are only counted as `unattributed`. A fixed number of queries, whatever the number
of visits.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count

from balai.catalog.models import Service
from balai.organizations.choices import SessionKind
from balai.visits.models import Visit

from .choices import EventStatus
from .models import Event, Program

SHARE_TO_BRING = 0.8
MAX_TO_BRING = 12  # Botram Masuk Desa brings about a dozen services
CAPACITY_PER_EVENT = 150  # visitors one event day can serve (assumed; a page parameter)


@dataclass
class EventDemand:
    event: Event
    visits: int = 0
    services: Counter = field(default_factory=Counter)  # service id -> visits

    top_services: list[tuple[str, int]] = field(default_factory=list)  # the three most sought


@dataclass
class ServiceDemand:
    service: Service
    visits: int
    share: float
    cumulative: float
    offered: bool  # in the program's list of services
    bring: bool  # among the services to bring to village events


@dataclass
class DemandReport:
    program: Program
    year: int
    events: list[EventDemand]
    services: list[ServiceDemand]
    visits: int
    unattributed: int
    capacity: int
    weeks_active: int
    days_per_week: float  # observed event days a week while the program ran
    visits_per_event: float
    suggested_days_per_week: int | None
    names: dict[int, str] = field(default_factory=dict)

    @property
    def to_bring(self) -> list[ServiceDemand]:
        return [s for s in self.services if s.bring]


def program_demand(program: Program, year: int, capacity: int = CAPACITY_PER_EVENT) -> DemandReport:
    """Demand at the program's held events in a year (six queries)."""
    pemda = program.pemda
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    held = list(
        Event.objects.filter(
            program=program, status=EventStatus.HELD, date__gte=start, date__lte=end
        )
        .select_related("venue")
        .order_by("date", "slot", "pk")
    )
    mine = {e.pk: EventDemand(e) for e in held}

    tz = ZoneInfo(pemda.timezone)
    for event_id, n in (
        Visit.objects.filter(event_id__in=list(mine))
        .values_list("event_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        mine[event_id].visits += n
    unattributed = Visit.objects.filter(
        pemda=pemda,
        session_kind=SessionKind.EVENT,
        event__isnull=True,
        visited_at__gte=dt.datetime.combine(start, dt.time.min, tz),
        visited_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz),
    ).count()
    through = Visit.services.through.objects.filter(visit__event_id__in=list(mine))
    per_service: Counter = Counter()
    for event_id, service_id, n in (
        through.values_list("visit__event_id", "service_id").annotate(n=Count("id")).order_by()
    ):
        mine[event_id].services[service_id] += n
        per_service[service_id] += n

    offered = set(program.services.values_list("pk", flat=True))
    services = Service.objects.in_bulk(list(set(per_service) | offered))
    names = {pk: s.name for pk, s in services.items()}
    for item in mine.values():
        item.top_services = [
            (names.get(sid, "?"), count)
            for sid, count in sorted(item.services.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        ]
    total = sum(per_service.values())
    ranking = []
    cumulative = 0
    for service_id, n in sorted(
        per_service.items(), key=lambda item: (-item[1], names.get(item[0], ""))
    ):
        share = n / total if total else 0.0
        bring = cumulative < SHARE_TO_BRING and len([r for r in ranking if r.bring]) < MAX_TO_BRING
        cumulative += share
        ranking.append(
            ServiceDemand(
                services[service_id], n, share, min(1.0, cumulative), service_id in offered, bring
            )
        )
    for service_id in sorted(offered - set(per_service), key=lambda pk: names.get(pk, "")):
        ranking.append(
            ServiceDemand(services[service_id], 0, 0.0, 1.0 if total else 0.0, True, False)
        )

    event_visits = sum(d.visits for d in mine.values())
    days = len({e.date for e in held})
    weeks_active = 0
    if held:
        weeks_active = (held[-1].date - held[0].date).days // 7 + 1
    days_per_week = days / weeks_active if weeks_active else 0.0
    per_event = event_visits / days if days else 0.0
    suggested = None
    if days and capacity > 0:
        # enough event days for the visitors observed, at one event day's capacity
        suggested = max(1, math.ceil(days_per_week * per_event / capacity - 1e-9))
    return DemandReport(
        program=program,
        year=year,
        events=list(mine.values()),
        services=ranking,
        visits=event_visits,
        unattributed=unattributed,
        capacity=capacity,
        weeks_active=weeks_active,
        days_per_week=days_per_week,
        visits_per_event=per_event,
        suggested_days_per_week=suggested,
        names=names,
    )

"""Coverage of an outreach program: places reached in a year against the target.

Read-only aggregates (a fixed number of queries, whatever the number of events):
- `coverage_summary(program, year)`: reached / planned / not yet out of the total, the
  cumulative curve against the target line, the places never reached with their distance;
- `coverage_map(program, year)`: the same places as GeoJSON with their status, for Leaflet;
- `curve_chart(summary)`: the geometry of the server-rendered SVG curve.

The places are those the planner considers (`balai.outreach.planner.candidates_for`): the desa
of the Pemda for village programs (kelurahan are served by their offices), the kecamatan for
kecamatan programs. Reached = a held event of the program there in the year; planned = a
planned or confirmed event later in the year and no held one yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Min, QuerySet

from balai.regions.choices import Kind, Level
from balai.regions.models import Region, RegionBoundary

from .choices import EventStatus, VenueLevel
from .models import Event, Program

REACHED, PLANNED, EARLIER, NOT_YET = "reached", "planned", "earlier", "not_yet"
UPCOMING = (EventStatus.PLANNED, EventStatus.CONFIRMED)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    kecamatan: str
    distance_km: float | None
    status: str
    date: dt.date | None = None  # held (reached) or first planned date in the year
    last_held: dt.date | None = None  # the latest held event of the program, any year


@dataclass
class CoverageSummary:
    program: Program
    year: int
    total: int
    reached: int
    planned: int
    target: int
    places: list[Place]
    # (date, places reached by then, reached or planned by then), one point per week
    curve: list[tuple[dt.date, int, int]] = field(default_factory=list)
    reached_before: int = 0  # reached by the program in earlier years (still counted apart)

    @property
    def not_yet(self) -> int:
        return self.total - self.reached - self.planned

    @property
    def share(self) -> float:
        return self.reached / self.total if self.total else 0.0

    @property
    def share_with_planned(self) -> float:
        return (self.reached + self.planned) / self.total if self.total else 0.0

    def target_on(self, day: dt.date) -> float:
        """The target line: from 0 on 1 January to the target on 31 December."""
        start, end = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if day <= start:
            return 0.0
        if day >= end:
            return float(self.target)
        return self.target * (day - start).days / (end - start).days

    @property
    def never_reached(self) -> list[Place]:
        """Places the program has never held an event in (up to the year's end), farthest first."""
        return sorted(
            (p for p in self.places if p.last_held is None and p.status != REACHED),
            key=lambda p: (-(p.distance_km or 0), p.code),
        )


def places_of(program: Program) -> QuerySet[Region]:
    """The places a program covers (as `planner.candidates_for` does)."""
    pemda = program.pemda
    places = Region.objects.filter(code__startswith=f"{pemda.region_id}.", is_active=True)
    if program.venue_level == VenueLevel.KECAMATAN:
        return places.filter(level=Level.KECAMATAN)
    return places.filter(level=Level.DESA_KELURAHAN).exclude(kind=Kind.KELURAHAN)


def coverage_summary(program: Program, year: int) -> CoverageSummary:
    """Coverage of the program in a year (four queries)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = list(
        places_of(program)
        .order_by("code")
        .values_list("code", "name", "parent__name", "distance_to_seat_km")
    )
    codes = {row[0] for row in rows}
    events = Event.objects.filter(program=program, venue_id__in=codes)
    held = dict(
        events.filter(status=EventStatus.HELD, date__gte=start, date__lte=end)
        .values("venue_id")
        .annotate(first=Min("date"))
        .values_list("venue_id", "first")
        .order_by()
    )
    upcoming = dict(
        events.filter(status__in=UPCOMING, date__gte=start, date__lte=end)
        .values("venue_id")
        .annotate(first=Min("date"))
        .values_list("venue_id", "first")
        .order_by()
    )

    last_held = dict(
        events.filter(status=EventStatus.HELD, date__lte=end)
        .values("venue_id")
        .annotate(last=Max("date"))
        .values_list("venue_id", "last")
        .order_by()
    )
    places = []
    for code, name, kecamatan, distance in rows:
        if code in held:
            status, when = REACHED, held[code]
        elif code in upcoming:
            status, when = PLANNED, upcoming[code]
        elif code in last_held:  # reached in an earlier year only
            status, when = EARLIER, None
        else:
            status, when = NOT_YET, None
        places.append(
            Place(code, name, kecamatan or "", distance, status, when, last_held.get(code))
        )
    total = len(places)
    target = total
    if program.target_count and not program.target_all:
        target = min(total, program.target_count)
    reached_before = sum(1 for p in places if p.status == EARLIER)
    summary = CoverageSummary(
        program=program,
        year=year,
        total=total,
        reached=sum(1 for p in places if p.status == REACHED),
        planned=sum(1 for p in places if p.status == PLANNED),
        target=target,
        places=places,
        reached_before=reached_before,
    )
    summary.curve = _curve(places, start, end)
    return summary


def _curve(places: list[Place], start: dt.date, end: dt.date) -> list[tuple[dt.date, int, int]]:
    """Cumulative places reached (and reached or planned) at the end of each week."""
    reached_days = sorted(p.date for p in places if p.status == REACHED and p.date)
    planned_days = sorted(p.date for p in places if p.status == PLANNED and p.date)
    points = []
    day = start
    i = j = 0
    while True:
        while i < len(reached_days) and reached_days[i] <= day:
            i += 1
        while j < len(planned_days) and planned_days[j] <= day:
            j += 1
        points.append((day, i, i + j))
        if day >= end:
            break
        day = min(end, day + dt.timedelta(days=7))
    return points


def coverage_map(program: Program, summary: CoverageSummary) -> dict:
    """GeoJSON of the places with a boundary, each with its status (one query)."""
    by_code = {p.code: p for p in summary.places}
    shapes = RegionBoundary.objects.filter(region_id__in=list(by_code)).values_list(
        "region_id", "geometry"
    )
    features = []
    for code, geometry in shapes:
        place = by_code[code]
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": code,
                    "name": place.name,
                    "kecamatan": place.kecamatan,
                    "status": place.status,
                    "date": place.date.isoformat() if place.date else "",
                    "km": round(place.distance_km, 1) if place.distance_km is not None else None,
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


# -- the SVG curve ------------------------------------------------------------------------------

WIDTH, HEIGHT = 400, 190
LEFT, RIGHT, TOP, BOTTOM = 32, 8, 10, 22


@dataclass
class CurveChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    baseline: float
    reached: str  # SVG polyline points
    planned: str
    target: str
    ticks: list[tuple[float, int]]
    months: list[tuple[float, str]]
    today_x: float | None


def _nice(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000):
        if value <= step:
            return step
    return int(-(-value // 1000) * 1000)


def curve_chart(summary: CoverageSummary, today: dt.date | None = None) -> CurveChart:
    """Geometry of the cumulative curve (reached; reached or planned) and the target line."""
    start, end = dt.date(summary.year, 1, 1), dt.date(summary.year, 12, 31)
    span = (end - start).days
    top_value = _nice(max(summary.total, summary.target, 1))
    right = WIDTH - RIGHT
    baseline = HEIGHT - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + (right - LEFT) * (day - start).days / span, 1)

    def y(value: float) -> float:
        return round(baseline - (baseline - TOP) * value / top_value, 1)

    last = today if today and start <= today <= end else end
    reached = [(x(d), y(r)) for d, r, _p in summary.curve if d <= last] or [(x(start), y(0))]
    planned = [(x(d), y(p)) for d, _r, p in summary.curve]
    months = [
        (x(dt.date(summary.year, m, 1)), dt.date(summary.year, m, 1).strftime("%m"))
        for m in range(1, 13)
    ]
    ticks = [(y(top_value * k / 4), round(top_value * k / 4)) for k in range(5)]
    return CurveChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        baseline=baseline,
        reached=" ".join(f"{a},{b}" for a, b in reached),
        planned=" ".join(f"{a},{b}" for a, b in planned),
        target=f"{x(start)},{y(0)} {x(end)},{y(summary.target)}",
        ticks=ticks,
        months=months,
        today_x=x(today) if today and start <= today <= end else None,
    )

"""Reads of the logbook and the survey, with the permission rules and aggregates built in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from balai.catalog.models import Service
from balai.core import permissions
from balai.organizations.models import ServicePoint
from balai.regions.choices import Level
from balai.regions.models import Region

from . import ikm
from .models import ELEMENTS, SurveyResponse, Visit
from .services import survey_may_enter, visit_may_log

RECENT_DAYS = 90  # what "most common" looks back over
TOP_SERVICES = 6


def local_day_bounds(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz)


def period_bounds(start: dt.date, end: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[start 00.00, the day after `end` 00.00) in the Pemda's zone."""
    return local_day_bounds(start, tz)[0], local_day_bounds(end, tz)[1]


def _points(pemda) -> QuerySet[ServicePoint]:
    return (
        ServicePoint.objects.filter(pemda=pemda, is_active=True)
        .select_related("pemda", "unit", "region")
        .order_by("name")
    )


def points_for_logging(user, pemda) -> list[ServicePoint]:
    """The Pemda's active service points where `user` may log visits."""
    return [point for point in _points(pemda) if visit_may_log(user, point)]


def points_for_survey(user, pemda) -> list[ServicePoint]:
    return [point for point in _points(pemda) if survey_may_enter(user, point)]


def point_get(pemda, slug: str) -> ServicePoint | None:
    return _points(pemda).filter(slug=slug).first()


def point_services(point) -> list[Service]:
    """What the point offers; every active service of the Pemda when none is listed."""
    offered = list(point.services.filter(is_active=True).order_by("name"))
    if offered:
        return offered
    return list(Service.objects.filter(pemda=point.pemda_id, is_active=True).order_by("name"))


def point_top_services(point, offered: list[Service], limit: int = TOP_SERVICES) -> list[Service]:
    """The point's most sought services lately (then the rest of what it offers), `limit` long."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    ranked = (
        Visit.services.through.objects.filter(
            visit__point=point, visit__visited_at__gte=since, service__in=offered
        )
        .values("service_id")
        .annotate(n=Count("id"))
        .order_by("-n", "service_id")[:limit]
    )
    by_id = {s.pk: s for s in offered}
    top = [by_id[row["service_id"]] for row in ranked if row["service_id"] in by_id]
    top += [s for s in offered if s not in top][: limit - len(top)]
    return top


def village_choices(point) -> list[Region]:
    """The desa/kelurahan the point's visitors usually come from: those of its kecamatan."""
    region = point.region
    if region.level == Level.DESA_KELURAHAN:
        kecamatan_code = region.parent_id
    elif region.level == Level.KECAMATAN:
        kecamatan_code = region.code
    else:
        kecamatan_code = None
    villages = Region.objects.filter(level=Level.DESA_KELURAHAN, is_active=True)
    if kecamatan_code:
        villages = villages.filter(parent_id=kecamatan_code)
    else:
        villages = villages.filter(code__startswith=point.pemda.region_id + ".")
    return list(villages.order_by("name"))


def common_village(point) -> str | None:
    """The code of the village most of the point's recent visitors came from."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    row = (
        Visit.objects.filter(point=point, visited_at__gte=since, village__isnull=False)
        .values("village_id")
        .annotate(n=Count("id"))
        .order_by("-n", "village_id")
        .first()
    )
    if row:
        return row["village_id"]
    return point.region_id if point.region.level == Level.DESA_KELURAHAN else None


def visits_today(point, tz: ZoneInfo) -> QuerySet[Visit]:
    start, end = local_day_bounds(timezone.now().astimezone(tz).date(), tz)
    return (
        Visit.objects.filter(point=point, visited_at__gte=start, visited_at__lt=end)
        .select_related("village", "entered_by")
        .prefetch_related("services")
        .order_by("-visited_at", "-id")
    )


@dataclass(frozen=True)
class VisitFilter:
    start: dt.date
    end: dt.date
    point: ServicePoint | None = None
    session_kind: str = ""
    occupation: str = ""
    village: str = ""  # a region code


def visit_list(user, pemda, flt: VisitFilter) -> QuerySet[Visit]:
    """Visits the user may see, filtered; what each finding of the uptake page links to."""
    since, until = period_bounds(flt.start, flt.end, ZoneInfo(pemda.timezone))
    visits = Visit.objects.filter(pemda=pemda, visited_at__gte=since, visited_at__lt=until)
    if flt.point is not None:
        visits = visits.filter(point=flt.point)
    if flt.session_kind:
        visits = visits.filter(session_kind=flt.session_kind)
    if flt.occupation:
        visits = visits.filter(occupation=flt.occupation)
    if flt.village:
        visits = visits.filter(village_id=flt.village)
    return (
        permissions.visible(user, visits)
        .select_related("point", "village", "entered_by")
        .prefetch_related("services")
        .order_by("-visited_at", "-id")
    )


# -- IKM -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IKMFilter:
    start: dt.date
    end: dt.date
    unit_id: int | None = None
    point_id: int | None = None
    service_id: int | None = None


_SUMS = {f"s_{name}": Sum(name) for name in ELEMENTS}


def _responses(user, pemda, flt: IKMFilter) -> QuerySet[SurveyResponse]:
    since, until = period_bounds(flt.start, flt.end, ZoneInfo(pemda.timezone))
    rows = SurveyResponse.objects.filter(pemda=pemda, answered_at__gte=since, answered_at__lt=until)
    if flt.unit_id:
        rows = rows.filter(unit_id=flt.unit_id)
    if flt.point_id:
        rows = rows.filter(point_id=flt.point_id)
    if flt.service_id:
        rows = rows.filter(service_id=flt.service_id)
    return permissions.visible(user, rows)


def _population(user, pemda, flt: IKMFilter) -> int:
    """Service users in the period (the sample's N): the visits logged at the point / the unit's
    points, or the service requests filed there when a unit records requests but not every
    visit (the larger of the two: a visitor who files a request is one user, not two)."""
    from balai.service_requests.models import ServiceRequest

    since, until = period_bounds(flt.start, flt.end, ZoneInfo(pemda.timezone))
    visits = Visit.objects.filter(pemda=pemda, visited_at__gte=since, visited_at__lt=until)
    requests = ServiceRequest.objects.filter(
        pemda=pemda, submitted_at__gte=since, submitted_at__lt=until
    )
    if flt.unit_id:
        visits = visits.filter(point__unit_id=flt.unit_id)
        requests = requests.filter(point__unit_id=flt.unit_id)
    if flt.point_id:
        visits = visits.filter(point_id=flt.point_id)
        requests = requests.filter(point_id=flt.point_id)
    if flt.service_id:
        visits = visits.filter(services=flt.service_id)
        requests = requests.filter(service_id=flt.service_id)
    logged = permissions.visible(user, visits).aggregate(n=Count("id", distinct=True))["n"]
    filed = permissions.visible(user, requests).count()
    return max(logged, filed)


@dataclass(frozen=True)
class IKMReport:
    filter: IKMFilter
    policy: ikm.WeightPolicy
    result: ikm.IKMResult | None
    respondents: int
    population: int
    sample_target: int
    per_unit: list[tuple[str, int, ikm.IKMResult]]
    profile: dict[str, list[tuple[str, int]]]

    @property
    def sample_reached(self) -> bool:
        return self.respondents >= self.sample_target


def ikm_report(user, pemda, flt: IKMFilter, *, policy=ikm.DEFAULT_POLICY) -> IKMReport:
    """The IKM of the selection, per unit too, the respondents' profile and the sample check
    (seven queries, whatever the number of responses)."""
    rows = _responses(user, pemda, flt)
    totals = rows.aggregate(n=Count("id"), **_SUMS)
    respondents = totals["n"] or 0
    sums = [totals[f"s_{name}"] or 0 for name in ELEMENTS]
    result = ikm.ikm_from_sums(sums, respondents, policy=policy)
    per_unit = []
    for row in (
        rows.values("unit_id", "unit__name").annotate(n=Count("id"), **_SUMS).order_by("unit__name")
    ):
        unit_result = ikm.ikm_from_sums(
            [row[f"s_{name}"] for name in ELEMENTS], row["n"], policy=policy
        )
        per_unit.append((row["unit__name"] or "-", row["n"], unit_result))
    profile = {}
    for name in ("sex", "education", "occupation"):
        counted = rows.values(name).annotate(n=Count("id")).order_by("-n", name)
        choices = dict(SurveyResponse._meta.get_field(name).choices)
        profile[name] = [(str(choices.get(r[name], "-")), r["n"]) for r in counted]
    population = _population(user, pemda, flt)
    return IKMReport(
        filter=flt,
        policy=policy,
        result=result,
        respondents=respondents,
        population=population,
        sample_target=ikm.krejcie_morgan(population),
        per_unit=per_unit,
        profile=profile,
    )

"""Reads about service requests: the standard in force, staff lists, one request, on-time rates.

Every staff read starts from `permissions.visible`, so a list never shows what the request's
page would refuse; lists select their relations up front (constant query count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Prefetch, Q, QuerySet

from balai.accounts.models import Membership
from balai.catalog.models import Service
from balai.catalog.selectors import service_list_public
from balai.core.permissions import RULES, Scope, has_role, visible
from balai.organizations.models import Pemda, ServicePoint

from .models import ServiceRequest, ServiceRequestEvent

PAGE_SIZE = 25


# -- who may do what --------------------------------------------------------------------------
VIEWERS = frozenset(
    role for role, (view, _change) in RULES["service_request"].items() if view is not Scope.NONE
)
FILERS = frozenset(
    role for role, (_view, change) in RULES["service_request"].items() if change is not Scope.NONE
)


def may_see_requests(*, user, pemda: Pemda) -> bool:
    return has_role(user, pemda.pk, *VIEWERS)


def may_file_requests(*, user, pemda: Pemda) -> bool:
    return has_role(user, pemda.pk, *FILERS)


def counter_services(*, pemda: Pemda) -> QuerySet[Service]:
    """The services a counter can take today: active, with a published standard in force."""
    return service_list_public(pemda=pemda)


def counter_points(*, user, pemda: Pemda) -> QuerySet[ServicePoint]:
    """The active points where the user may file requests (area staff: in their area)."""
    points = ServicePoint.objects.filter(pemda=pemda, is_active=True).order_by("name")
    if getattr(user, "is_superuser", False):
        return points
    rules = RULES["service_request"]
    q = Q(pk__in=[])
    for role, region in Membership.objects.filter(
        user=user, pemda=pemda, is_active=True
    ).values_list("role", "region_id"):
        scope = rules.get(role, (Scope.NONE, Scope.NONE))[1]
        if scope in (Scope.PEMDA, Scope.OWN_OPD):  # an OPD's scope is decided by the service
            return points
        if scope is Scope.OWN_AREA and region:
            q |= Q(region__code=region) | Q(region__code__startswith=region + ".")
    return points.filter(q)


# -- lists and one request --------------------------------------------------------------------
def service_request_list(*, user, pemda: Pemda, filters: dict | None = None) -> QuerySet:
    """The requests the user may see, newest first, filtered (status, service, point, q)."""
    filters = filters or {}
    rows = visible(user, ServiceRequest.objects.filter(pemda=pemda)).select_related(
        "service", "point"
    )
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("service"):
        rows = rows.filter(service=filters["service"])
    if filters.get("point"):
        rows = rows.filter(point=filters["point"])
    if filters.get("q"):
        from balai.complaints.models import normalize_tracking_code

        q = filters["q"].strip()
        rows = rows.filter(
            Q(tracking_code=normalize_tracking_code(q)) | Q(tracking_code__icontains=q)
        )
    return rows.order_by("-submitted_at", "-id")


def service_request_get(*, user, pemda: Pemda, code: str) -> ServiceRequest:
    """One request the user may see, or ServiceRequest.DoesNotExist."""
    from balai.complaints.models import normalize_tracking_code

    return (
        visible(user, ServiceRequest.objects.filter(pemda=pemda))
        .select_related("pemda", "service__opd", "standard", "point", "created_by")
        .prefetch_related("standard__requirements")
        .get(tracking_code=normalize_tracking_code(code))
    )


def service_request_timeline(request: ServiceRequest) -> QuerySet[ServiceRequestEvent]:
    return request.events.select_related("actor").order_by("created_at", "id")


def service_request_public(code: str) -> ServiceRequest | None:
    """A request for its public tracking page, with the public events only."""
    from balai.complaints.models import normalize_tracking_code

    return (
        ServiceRequest.objects.select_related("pemda", "service__opd", "standard", "point")
        .prefetch_related(
            Prefetch("events", queryset=ServiceRequestEvent.objects.filter(is_public=True))
        )
        .filter(tracking_code=normalize_tracking_code(code))
        .first()
    )


# -- on-time rate -----------------------------------------------------------------------------
@dataclass(frozen=True)
class OnTimeRow:
    key: int | None
    name: str
    ready: int
    on_time: int

    @property
    def late(self) -> int:
        return self.ready - self.on_time

    @property
    def share(self) -> float | None:
        """On time / ready, between 0 and 1; None when nothing was made ready."""
        return self.on_time / self.ready if self.ready else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else round(100 * self.share, 1)


@dataclass(frozen=True)
class OnTimeRate:
    start: dt.date
    end: dt.date
    total: OnTimeRow
    by_service: list[OnTimeRow] = field(default_factory=list)
    by_point: list[OnTimeRow] = field(default_factory=list)


def _local_midnight(day: dt.date, pemda: Pemda) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), ZoneInfo(pemda.timezone))


def on_time_rate(
    *,
    pemda: Pemda,
    service: Service | None = None,
    point: ServicePoint | None = None,
    start: dt.date,
    end: dt.date,
) -> OnTimeRate:
    """Requests made ready between two local dates (both included), and how many on time
    (ready_at <= due_at): in all, per service and per point. Three aggregate queries."""
    rows = ServiceRequest.objects.filter(
        pemda=pemda,
        ready_at__gte=_local_midnight(start, pemda),
        ready_at__lt=_local_midnight(end + dt.timedelta(days=1), pemda),
    )
    if service is not None:
        rows = rows.filter(service=service)
    if point is not None:
        rows = rows.filter(point=point)
    counts = {"ready": Count("id"), "on_time": Count("id", filter=Q(ready_at__lte=F("due_at")))}
    total = rows.aggregate(**counts)
    by_service = (
        rows.values("service_id", "service__name").annotate(**counts).order_by("service__name")
    )
    by_point = rows.values("point_id", "point__name").annotate(**counts).order_by("point__name")
    return OnTimeRate(
        start=start,
        end=end,
        total=OnTimeRow(None, "", total["ready"], total["on_time"]),
        by_service=[
            OnTimeRow(r["service_id"], r["service__name"], r["ready"], r["on_time"])
            for r in by_service
        ],
        by_point=[
            OnTimeRow(r["point_id"], r["point__name"] or "", r["ready"], r["on_time"])
            for r in by_point
        ],
    )

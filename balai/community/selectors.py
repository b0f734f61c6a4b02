"""Reads of community spaces: the public calendar (no personal data), the staff queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from balai.complaints.models import normalize_tracking_code
from balai.organizations.models import ServicePoint

from . import schedule
from .choices import BookingStatus
from .models import Activity, Booking, Space
from .permissions import points_managed

PUBLIC_FIELDS = (
    "id",
    "space_id",
    "group_name",
    "group_kind",
    "purpose",
    "starts_at",
    "ends_at",
    "status",
)


@dataclass(frozen=True)
class Entry:
    """One thing on the public calendar: an activity occurrence or an approved booking."""

    kind: str  # "activity" | "booking"
    uid: str
    space: Space
    title: str
    by: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    is_private: bool = False


def points_with_spaces(pemda) -> QuerySet[ServicePoint]:
    """The Pemda's active offices with at least one active space (their count annotated)."""
    return (
        ServicePoint.objects.filter(pemda=pemda, is_active=True)
        .annotate(space_count=Count("community_spaces", filter=Q(community_spaces__is_active=True)))
        .filter(space_count__gt=0)
        .select_related("region")
        .order_by("name")
    )


def spaces_of(point) -> list[Space]:
    return list(Space.objects.filter(point=point, is_active=True).order_by("name"))


def calendar_entries(
    point, spaces: list[Space], first: dt.date, last: dt.date, tz: ZoneInfo
) -> list[Entry]:
    """Activities and approved bookings of the point's spaces on local dates first..last, in
    time order: two queries. Only what the public may read (no contact person, no phone;
    private activities show as "in use")."""
    by_id = {s.pk: s for s in spaces}
    start = dt.datetime.combine(first, dt.time(0), tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz)
    activities = Activity.objects.filter(space_id__in=by_id, valid_from__lte=last).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first)
    )
    entries = []
    for o in schedule.occurrences(activities, first, last, tz):
        a = o.activity
        entries.append(
            Entry(
                "activity",
                f"a{a.pk}-{o.starts_at:%Y%m%d}",
                by_id[a.space_id],
                a.title if a.is_public else "",
                a.organiser if a.is_public else "",
                o.starts_at,
                o.ends_at,
                is_private=not a.is_public,
            )
        )
    bookings = (
        Booking.objects.filter(
            space_id__in=by_id,
            status=BookingStatus.APPROVED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .only(*PUBLIC_FIELDS)
        .order_by("starts_at")
    )
    for b in bookings:
        entries.append(
            Entry(
                "booking",
                f"b{b.pk}",
                by_id[b.space_id],
                b.purpose,
                b.group_name,
                b.starts_at.astimezone(tz),
                b.ends_at.astimezone(tz),
            )
        )
    entries.sort(key=lambda e: (e.starts_at, e.ends_at, e.space.name))
    return entries


def booking_public(pemda, code: str) -> Booking | None:
    return (
        Booking.objects.filter(pemda=pemda, tracking_code=normalize_tracking_code(code))
        .select_related("space", "space__point", "pemda")
        .first()
    )


def bookings_for_staff(user, pemda, *, status: str | None = None) -> QuerySet[Booking]:
    """Bookings at the offices `user` keeps, newest first for the queue."""
    qs = (
        Booking.objects.filter(pemda=pemda, space__point__in=points_managed(user, pemda))
        .select_related("space", "space__point", "decided_by")
        .order_by("starts_at", "id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def booking_for_staff(user, pemda, pk: int) -> Booking | None:
    return bookings_for_staff(user, pemda).filter(pk=pk).first()


def spaces_for_staff(user, pemda) -> QuerySet[Space]:
    return (
        Space.objects.filter(pemda=pemda, point__in=points_managed(user, pemda))
        .select_related("point")
        .annotate(activity_count=Count("activities"))
        .order_by("point__name", "name")
    )


def activities_for_staff(user, pemda) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(pemda=pemda, space__point__in=points_managed(user, pemda))
        .select_related("space", "space__point")
        .order_by("space__point__name", "space__name", "start_time", "title")
    )


def overlapping_requests(bookings: list[Booking]) -> dict[int, int]:
    """For requests in `bookings`: how many approved bookings overlap each (one query)."""
    requested = [b for b in bookings if b.status == BookingStatus.REQUESTED]
    if not requested:
        return {}
    q = Q()
    for b in requested:
        q |= Q(space_id=b.space_id, starts_at__lt=b.ends_at, ends_at__gt=b.starts_at)
    approved = list(
        Booking.objects.filter(q, status=BookingStatus.APPROVED).values_list(
            "space_id", "starts_at", "ends_at"
        )
    )
    return {
        b.pk: sum(
            1
            for space_id, s, e in approved
            if space_id == b.space_id and schedule.overlaps(b.starts_at, b.ends_at, s, e)
        )
        for b in requested
    }

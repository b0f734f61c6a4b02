"""Reads about Pemda, OPD and calendars."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from balai.core.calendars import PERPRES_21_2023_HOURS, WorkingCalendar, weekly_from_rows

from .choices import CalendarDayKind
from .models import OPD, OpeningException, Pemda, ServicePoint


def pemda_list_public() -> QuerySet[Pemda]:
    return Pemda.objects.filter(is_active=True).select_related("region", "region__parent")


def pemda_calendar(pemda: Pemda) -> WorkingCalendar:
    """The working calendar of a Pemda (two queries); Perpres 21/2023 hours when none are set."""
    rows = list(pemda.working_hours.values_list("weekday", "start", "end"))
    closed, opened = set(), set()
    for day, kind in pemda.calendar_days.values_list("date", "kind"):
        (closed if kind == CalendarDayKind.CLOSED else opened).add(day)
    return WorkingCalendar(
        timezone=pemda.timezone,
        weekly=weekly_from_rows(rows) if rows else PERPRES_21_2023_HOURS,
        closed_days=frozenset(closed),
        open_days=frozenset(opened),
    )


def opd_list(*, pemda: Pemda) -> QuerySet[OPD]:
    return OPD.objects.filter(pemda=pemda, is_active=True).order_by("short_name")


def service_point_list_public(*, pemda: Pemda) -> QuerySet[ServicePoint]:
    """A Pemda's active service points with their area, hours and exceptions from yesterday on
    (so `balai.organizations.hours.schedule_for` needs no further query per point)."""
    since = timezone.now().date() - dt.timedelta(days=1)
    return (
        ServicePoint.objects.filter(pemda=pemda, is_active=True)
        .select_related("region", "pemda")
        .prefetch_related(
            "opening_rules",
            Prefetch(
                "opening_exceptions", queryset=OpeningException.objects.filter(date__gte=since)
            ),
        )
        .order_by("name")
    )


def service_point_get_public(*, pemda: Pemda, slug: str) -> ServicePoint | None:
    """One active point with what its public page shows, in a fixed number of queries."""
    return service_point_list_public(pemda=pemda).select_related("unit").filter(slug=slug).first()

"""Reads of the outreach app: programs, events by week, the public schedule and what to bring."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from balai.catalog.choices import StandardStatus
from balai.catalog.models import Requirement, Service, StandardVersion

from . import permissions
from .choices import EventStatus
from .models import Event, PlanRun, Program

PUBLIC_STATUSES = (EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.POSTPONED)


def program_list(*, user, pemda) -> QuerySet[Program]:
    """The Pemda's programs with their number of events (for anyone who may read outreach)."""
    if not permissions.can_read(user, pemda):
        return Program.objects.none()
    return (
        Program.objects.filter(pemda=pemda)
        .annotate(
            event_count=Count("events", distinct=True),
            published_count=Count("events", filter=Q(events__published=True), distinct=True),
        )
        .order_by("-is_active", "name")
    )


def program_get(*, pemda, slug: str) -> Program | None:
    return Program.objects.filter(pemda=pemda, slug=slug).select_related("pemda").first()


def event_list(*, user, program, start: dt.date | None = None, end: dt.date | None = None):
    events = permissions.events_visible(
        user, program.pemda, Event.objects.filter(program=program)
    ).select_related("venue", "venue__parent")
    if start:
        events = events.filter(date__gte=start)
    if end:
        events = events.filter(date__lte=end)
    return events.order_by("date", "slot", "id")


def event_get(*, user, pemda, pk: int) -> Event | None:
    event = (
        Event.objects.filter(pemda=pemda, pk=pk)
        .select_related("program", "venue", "venue__parent", "plan_run", "pemda")
        .first()
    )
    if event is None or not permissions.event_visible(user, event):
        return None
    return event


def by_week(events) -> list[tuple[dt.date, list[Event]]]:
    """Events grouped under the Monday of their ISO week, in order."""
    weeks: OrderedDict[dt.date, list[Event]] = OrderedDict()
    for event in events:
        monday = event.date - dt.timedelta(days=event.date.weekday())
        weeks.setdefault(monday, []).append(event)
    return list(weeks.items())


def plan_runs(*, program, limit: int = 5) -> list[PlanRun]:
    return list(PlanRun.objects.filter(program=program).order_by("-created_at", "-id")[:limit])


# -- public ------------------------------------------------------------------------------------
def programs_public(*, pemda) -> QuerySet[Program]:
    return Program.objects.filter(pemda=pemda, is_public=True, is_active=True).order_by("name")


def events_public(*, pemda, program=None, since: dt.date, until: dt.date | None = None):
    """Published events of public programs from `since`, with venue, program and services."""
    events = Event.objects.filter(
        pemda=pemda,
        published=True,
        program__is_public=True,
        program__is_active=True,
        date__gte=since,
    )
    if program is not None:
        events = events.filter(program=program)
    if until is not None:
        events = events.filter(date__lte=until)
    return (
        events.select_related("program", "venue", "venue__parent")
        .prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("name").select_related("opd"))
        )
        .order_by("date", "start_time", "slot", "id")
    )


def events_public_recent(*, pemda, program=None, before: dt.date, limit: int = 5) -> list[Event]:
    """The latest published events before `before` (held or not cancelled), newest first."""
    events = Event.objects.filter(
        pemda=pemda,
        published=True,
        program__is_public=True,
        program__is_active=True,
        date__lt=before,
    ).exclude(status=EventStatus.CANCELLED)
    if program is not None:
        events = events.filter(program=program)
    return list(
        events.select_related("program", "venue", "venue__parent").order_by("-date", "-slot")[
            :limit
        ]
    )


def requirements_by_service(services, on: dt.date) -> dict[int, list[Requirement]]:
    """The requirements of each service's standard in force on `on` (two queries)."""
    ids = {s.pk for s in services}
    if not ids:
        return {}
    versions = (
        StandardVersion.objects.filter(
            service_id__in=ids, status=StandardStatus.PUBLISHED, effective_from__lte=on
        )
        .order_by("service_id", "-effective_from", "-version")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.order_by("order")))
    )
    out: dict[int, list[Requirement]] = {}
    for version in versions:
        if version.service_id not in out:
            out[version.service_id] = list(version.requirements.all())
    return out


def visits_received(event) -> tuple[int, list[tuple[str, int]]]:
    """Visits logged at an event and the services sought, by date and venue (three queries).

    Visits carry no link to the event (see the report on the Visit model): a visit counts when
    it was logged with session "event" on the event's local day and, when the Pemda held more
    than one event that day, when the visitor's desa lies in the venue (a desa event: that desa
    or its kecamatan; a kecamatan event: the kecamatan).
    """
    from zoneinfo import ZoneInfo

    from django.db.models import Count

    from balai.organizations.choices import SessionKind
    from balai.visits.models import Visit

    tz = ZoneInfo(event.pemda.timezone)
    start = dt.datetime.combine(event.date, dt.time.min, tz)
    visits = Visit.objects.filter(
        pemda_id=event.pemda_id,
        session_kind=SessionKind.EVENT,
        visited_at__gte=start,
        visited_at__lt=start + dt.timedelta(days=1),
    )
    others = (
        Event.objects.filter(pemda_id=event.pemda_id, date=event.date)
        .exclude(pk=event.pk)
        .exclude(status__in=[EventStatus.CANCELLED, EventStatus.POSTPONED])
        .exists()
    )
    if others:
        kecamatan = event.venue_id if event.venue.level == 3 else event.venue.parent_id
        visits = visits.filter(Q(village_id=event.venue_id) | Q(village__parent_id=kecamatan))
    through = Visit.services.through.objects.filter(visit__in=visits.values("pk"))
    services = [
        (name, n)
        for name, n in through.values_list("service__name")
        .annotate(n=Count("id"))
        .order_by("-n", "service__name")
    ]
    return visits.count(), services

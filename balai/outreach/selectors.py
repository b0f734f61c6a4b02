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


def events_of_day(*, pemda, day: dt.date) -> list[Event]:
    """The Pemda's events on `day` that are not cancelled or postponed (for the logbook)."""
    return list(
        Event.objects.filter(pemda=pemda, date=day)
        .exclude(status__in=[EventStatus.CANCELLED, EventStatus.POSTPONED])
        .select_related("program", "venue")
        .order_by("slot", "start_time", "id")
    )


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
    """The latest published events before `before` (held or not cancelled), newest first, with
    the visits, service requests and complaints received there (`with_received`)."""
    events = Event.objects.filter(
        pemda=pemda,
        published=True,
        program__is_public=True,
        program__is_active=True,
        date__lt=before,
    ).exclude(status=EventStatus.CANCELLED)
    if program is not None:
        events = events.filter(program=program)
    events = with_received(events.select_related("program", "venue", "venue__parent"))
    return list(events.order_by("-date", "-slot")[:limit])


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
    """Visits logged at an event (their `event` link) and the services sought (two queries).

    Visits logged before the link existed (or without choosing the event) are not counted.
    """
    from balai.visits.models import Visit

    visits = Visit.objects.filter(event=event)
    through = Visit.services.through.objects.filter(visit__event=event)
    services = [
        (name, n)
        for name, n in through.values_list("service__name")
        .annotate(n=Count("id"))
        .order_by("-n", "service__name")
    ]
    return visits.count(), services


def _counted(model):
    """The number of `model` rows linked to the outer event (a subquery, 0 when none)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    rows = (
        model.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_received(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate events with `n_visits`, `n_requests` and `n_complaints` received there."""
    from balai.complaints.models import Complaint
    from balai.service_requests.models import ServiceRequest
    from balai.visits.models import Visit

    return events.annotate(
        n_visits=_counted(Visit),
        n_requests=_counted(ServiceRequest),
        n_complaints=_counted(Complaint),
    )


def requests_complaints_received(event) -> tuple[int, int]:
    """Service requests filed and complaints received at an event (one query)."""
    row = (
        with_received(Event.objects.filter(pk=event.pk))
        .values_list("n_requests", "n_complaints")
        .first()
    )
    return row or (0, 0)

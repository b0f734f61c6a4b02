"""The public schedule of service days: upcoming published events per Pemda or program, what to
bring (the requirements of each service's standard in force), an iCal feed per program and a
printable monthly poster (PDF with a QR code to the schedule page)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.catalog.selectors import local_today
from balai.organizations.selectors import pemda_list_public

from . import selectors
from .models import Program

PAGE_SIZE = 20
FEED_PAST_DAYS = 92  # a calendar app keeps the recent past too


def _program(pemda, slug) -> Program:
    program = selectors.programs_public(pemda=pemda).filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


def _what_to_bring(events, today):
    services = {}
    for event in events:
        for service in event.services.all():
            services.setdefault(service.pk, service)
    requirements = selectors.requirements_by_service(services.values(), today)
    return [
        (service, requirements.get(service.pk, []))
        for service in sorted(services.values(), key=lambda s: s.name)
    ]


def schedule(request, pemda_slug: str, program_slug: str | None = None):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    program = _program(pemda, program_slug) if program_slug else None
    today = local_today(pemda)
    events = selectors.events_public(pemda=pemda, program=program, since=today)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page_events = list(page.object_list)
    programs = list(selectors.programs_public(pemda=pemda)) if program is None else []
    return render(
        request,
        "outreach/schedule.html",
        {
            "pemda": pemda,
            "program": program,
            "programs": programs,
            "page": page,
            "events": page_events,
            "bring": _what_to_bring(page_events, today),
            "today": today,
            "recent": selectors.events_public_recent(pemda=pemda, program=program, before=today),
            "poster_month": today,
        },
    )


def _uid(event) -> str:
    return f"outreach-event-{event.pk}@{event.pemda.slug}.balai"


def ical_feed(request, pemda_slug: str, program_slug: str):
    """The program's published events from three months ago on, as an iCalendar file."""
    from icalendar import Calendar, Event

    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    program = _program(pemda, program_slug)
    tz = ZoneInfo(pemda.timezone)
    today = local_today(pemda)
    events = selectors.events_public(
        pemda=pemda, program=program, since=today - dt.timedelta(days=FEED_PAST_DAYS)
    )
    page_url = request.build_absolute_uri(
        reverse("portal:outreach_program_schedule", args=[pemda.slug, program.slug])
    )
    cal = Calendar()
    cal.add("prodid", "-//Balai//Outreach schedule//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{program.name} · {pemda.name}")
    cal.add("x-wr-timezone", pemda.timezone)
    stamp = timezone.now()
    for event in events:
        item = Event()
        item.add("uid", _uid(event))
        item.add("dtstamp", stamp)
        item.add("summary", f"{program.name}: {event.venue.name}")
        if event.start_time:
            start = dt.datetime.combine(event.date, event.start_time, tzinfo=tz)
            end_time = event.end_time or (start + dt.timedelta(hours=4)).time()
            item.add("dtstart", start)
            item.add("dtend", dt.datetime.combine(event.date, end_time, tzinfo=tz))
        else:
            item.add("dtstart", event.date)
            item.add("dtend", event.date + dt.timedelta(days=1))
        where = [event.place, event.venue.name]
        if event.venue.level == 4 and event.venue.parent_id:
            where.append(_("Kecamatan %(name)s") % {"name": event.venue.parent.name})
        where.append(pemda.name)
        item.add("location", ", ".join(w for w in where if w))
        names = ", ".join(s.name for s in event.services.all())
        item.add(
            "description",
            (_("Services: %(names)s") % {"names": names} + "\n" if names else "") + page_url,
        )
        item.add("url", page_url)
        item.add(
            "status",
            "CANCELLED"
            if event.status == "cancelled"
            else "CONFIRMED"
            if event.status == "confirmed"
            else "TENTATIVE",
        )
        cal.add_component(item)
    if events and any(e.start_time for e in events):
        cal.add_missing_timezones()
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{pemda.slug}-{program.slug}.ics"'
    return response


def poster_pdf(request, pemda_slug: str, program_slug: str, year: int, month: int):
    """A month's published events on one A4 (or ?size=a3) page, with a QR code to the page."""
    import segno
    from weasyprint import HTML, URLFetcher  # heavy: imported only when a poster is asked for

    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    program = _program(pemda, program_slug)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    events = list(selectors.events_public(pemda=pemda, program=program, since=first, until=last))
    size = "A3" if request.GET.get("size", "").lower() == "a3" else "A4"
    page_url = request.build_absolute_uri(
        reverse("portal:outreach_program_schedule", args=[pemda.slug, program.slug])
    )
    html = render_to_string(
        "outreach/poster.html",
        {
            "pemda": pemda,
            "program": program,
            "events": events,
            "month": first,
            "size": size,
            "page_url": page_url,
            "bring": _what_to_bring(events, first),
            "qr": segno.make(page_url, error="m").svg_data_uri(scale=4, border=2, dark="#000"),
        },
        request=request,
    )
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{program.slug}-{year:04d}-{month:02d}.pdf"'
    )
    return response

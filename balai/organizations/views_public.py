"""Service points on the portal: the list, one office's page (open now, next opening, the
week with night sessions, services offered, a small map), and its hours as JSON and iCalendar."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from balai.catalog.selectors import service_list_public

from .choices import SessionKind
from .hours import DaySchedule, schedule_for
from .selectors import (
    pemda_calendar,
    pemda_list_public,
    service_point_get_public,
    service_point_list_public,
)

PAGE_SIZE = 25
JSON_DAYS = 14
ICAL_DAYS = 60


@lru_cache(maxsize=32)
def _holiday_names(year: int, language: str) -> dict[dt.date, str]:
    lang = "id" if language.startswith("id") else "en_US"
    return dict(
        holidays.country_holidays(
            "ID", years=year, categories=("public", "government"), language=lang
        )
    )


def holiday_label(day: DaySchedule) -> str | None:
    """The holiday's name in the reader's language (the Pemda's own days: "Local holiday")."""
    if day.holiday is None:
        return None
    return _holiday_names(day.day.year, get_language() or "id").get(day.day) or _("Local holiday")


def _point(pemda_slug: str, point_slug: str):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    point = service_point_get_public(pemda=pemda, slug=point_slug)
    if point is None:
        raise Http404
    return pemda, point


def point_list(request, pemda_slug: str):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    page = Paginator(service_point_list_public(pemda=pemda), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    calendar = pemda_calendar(pemda)
    now = timezone.now()
    rows = []
    for point in page.object_list:
        is_open, kind, until = schedule_for(point, calendar=calendar).open_now(now)
        rows.append({"point": point, "is_open": is_open, "kind": kind, "until": until})
    return render(request, "points/point_list.html", {"pemda": pemda, "page": page, "rows": rows})


def point_detail(request, pemda_slug: str, point_slug: str):
    pemda, point = _point(pemda_slug, point_slug)
    schedule = schedule_for(point)
    now = timezone.now()
    today = now.astimezone(schedule.tz).date()
    is_open, kind, until = schedule.open_now(now)
    week = [
        {"day": day, "holiday": holiday_label(day), "is_today": day.day == today}
        for day in schedule.week(today)
    ]
    services = list(service_list_public(pemda=pemda).filter(points=point))
    return render(
        request,
        "points/point_detail.html",
        {
            "pemda": pemda,
            "point": point,
            "is_open": is_open,
            "kind": kind,
            "until": until,
            "next": schedule.next_opening(until if is_open else now),
            "week": week,
            "services": services,
            "has_community_spaces": point.community_spaces.filter(is_active=True).exists(),
            "night": SessionKind.NIGHT,
            "map_tiles": settings.MAP_TILES_URL,
            "map_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )


def point_hours_json(request, pemda_slug: str, point_slug: str):
    """The next 14 days of opening hours (ISO 8601 with the Pemda's offset)."""
    pemda, point = _point(pemda_slug, point_slug)
    schedule = schedule_for(point)
    now = timezone.now()
    is_open, kind, until = schedule.open_now(now)
    today = now.astimezone(schedule.tz).date()
    days = []
    for day in schedule.week(today, JSON_DAYS):
        days.append(
            {
                "date": day.day.isoformat(),
                "holiday": holiday_label(day),
                "intervals": [
                    {"start": start.isoformat(), "end": end.isoformat(), "session": session}
                    for start, end, session in day.intervals
                ],
            }
        )
    data = {
        "point": point.slug,
        "name": point.name,
        "timezone": pemda.timezone,
        "generated_at": now.astimezone(schedule.tz).isoformat(timespec="seconds"),
        "open_now": is_open,
        "session": kind,
        "until": until.isoformat() if until else None,
        "days": days,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


def point_hours_ics(request, pemda_slug: str, point_slug: str):
    """The next 60 days of opening hours as iCalendar: one VEVENT per interval, in the Pemda's
    zone (TZID and its VTIMEZONE)."""
    from icalendar import Calendar, Event

    pemda, point = _point(pemda_slug, point_slug)
    schedule = schedule_for(point)
    now = timezone.now()
    today = now.astimezone(schedule.tz).date()
    page_url = request.build_absolute_uri(
        reverse("portal:point_detail", args=[pemda.slug, point.slug])
    )
    host = request.get_host().split(":")[0] or "balai"
    labels = dict(SessionKind.choices)

    cal = Calendar()
    cal.add("prodid", "-//Balai//Jam layanan//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{point.name} ({pemda.name})")
    cal.add("x-wr-timezone", pemda.timezone)
    for day in schedule.week(today, ICAL_DAYS):
        for start, end, session in day.intervals:
            event = Event()
            event.add("uid", f"{point.pk}-{start:%Y%m%dT%H%M}-{session}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("summary", f"{point.name}: {labels.get(session, session)}")
            if point.address:
                event.add("location", point.address)
            event.add("url", page_url)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    cal.add_missing_timezones()
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="jam-{point.slug}.ics"'
    return response

"""The public side of community spaces: an office's calendar (week and list), its iCal feed,
the booking request form and the status page reached with the booking code.

Nothing here shows a contact person or a phone number.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from balai.core.ratelimit import ratelimit
from balai.organizations.selectors import pemda_list_public, service_point_get_public

from . import selectors, services
from .choices import BookingStatus, Facility
from .forms import BookingForm, CancelForm, TrackForm

LIST_DAYS = 28
ICAL_PAST_DAYS = 7
ICAL_DAYS = 60


def _pemda(slug):
    return get_object_or_404(pemda_list_public(), slug=slug)


def _point(pemda, slug):
    point = service_point_get_public(pemda=pemda, slug=slug)
    if point is None:
        raise Http404
    return point


def _week_start(raw: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        day = today
    if abs((day - today).days) > 366:
        day = today
    return day - dt.timedelta(days=day.weekday())


def _facility_labels(space) -> list[str]:
    labels = dict(Facility.choices)
    return [labels[f] for f in space.facilities if f in labels]


def space_index(request, pemda_slug: str):
    """The offices of a Pemda that open a space to citizens."""
    pemda = _pemda(pemda_slug)
    points = list(selectors.points_with_spaces(pemda))
    return render(request, "community/public_index.html", {"pemda": pemda, "points": points})


def calendar_page(request, pemda_slug: str, point_slug: str):
    """An office's community calendar: a week (default) or the next four weeks as a list."""
    pemda = _pemda(pemda_slug)
    point = _point(pemda, point_slug)
    tz = ZoneInfo(pemda.timezone)
    spaces = selectors.spaces_of(point)
    if not spaces:
        raise Http404
    today = timezone.now().astimezone(tz).date()
    as_list = request.GET.get("tampilan") == "daftar"
    if as_list:
        first, last = today, today + dt.timedelta(days=LIST_DAYS - 1)
    else:
        first = _week_start(request.GET.get("minggu"), today)
        last = first + dt.timedelta(days=6)
    entries = selectors.calendar_entries(point, spaces, first, last, tz)
    days = []
    day = first
    while day <= last:
        todays = [e for e in entries if e.starts_at.date() == day]
        if todays or not as_list:
            days.append({"date": day, "entries": todays, "is_today": day == today})
        day += dt.timedelta(days=1)
    for space in spaces:
        space.facility_labels = _facility_labels(space)
    return render(
        request,
        "community/public_calendar.html",
        {
            "pemda": pemda,
            "point": point,
            "spaces": spaces,
            "days": days,
            "as_list": as_list,
            "first": first,
            "last": last,
            "previous": first - dt.timedelta(days=7),
            "next": first + dt.timedelta(days=7),
            "this_week": _week_start(None, today),
            "show_space": len(spaces) > 1,
            "bookable": any(s.is_bookable for s in spaces),
        },
    )


def calendar_ics(request, pemda_slug: str, point_slug: str):
    """The office's public calendar as iCalendar: from a week back to 60 days ahead, in the
    Pemda's zone; activities and approved bookings, no personal data."""
    from icalendar import Calendar, Event

    pemda = _pemda(pemda_slug)
    point = _point(pemda, point_slug)
    tz = ZoneInfo(pemda.timezone)
    spaces = selectors.spaces_of(point)
    now = timezone.now()
    today = now.astimezone(tz).date()
    entries = selectors.calendar_entries(
        point,
        spaces,
        today - dt.timedelta(days=ICAL_PAST_DAYS),
        today + dt.timedelta(days=ICAL_DAYS),
        tz,
    )
    page_url = request.build_absolute_uri(
        reverse("portal:community_calendar", args=[pemda.slug, point.slug])
    )
    host = request.get_host().split(":")[0] or "balai"
    cal = Calendar()
    cal.add("prodid", "-//Balai//Ruang warga//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Community activities: %(point)s") % {"point": point.name})
    cal.add("x-wr-timezone", pemda.timezone)
    for entry in entries:
        event = Event()
        event.add("uid", f"community-{entry.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", entry.starts_at.astimezone(tz))
        event.add("dtend", entry.ends_at.astimezone(tz))
        title = entry.title or _("In use")
        event.add("summary", f"{title} · {entry.by}" if entry.by else title)
        event.add("location", f"{entry.space.name}, {point.name}")
        event.add("url", page_url)
        cal.add_component(event)
    cal.add_missing_timezones()
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ruang-{point.slug}.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@ratelimit("community-booking", "10/10m")
@require_http_methods(["GET", "POST"])
def booking_new(request, pemda_slug: str, point_slug: str):
    pemda = _pemda(pemda_slug)
    point = _point(pemda, point_slug)
    tz = ZoneInfo(pemda.timezone)
    spaces = [s for s in selectors.spaces_of(point) if s.is_bookable]
    if not spaces:
        raise Http404
    initial = {}
    if request.GET.get("ruang", "").isdigit():
        initial["space"] = int(request.GET["ruang"])
    form = BookingForm(request.POST or None, initial=initial, spaces=spaces, tz=tz)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # a bot filled the hidden field: pretend success, store nothing
            return redirect("portal:community_calendar", pemda.slug, point.slug)
        try:
            booking = services.booking_request(
                space=data["space_object"],
                group_name=data["group_name"],
                group_kind=data["group_kind"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                purpose=data["purpose"],
                attendees=data["attendees"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your request has been received. Keep this code."))
            return redirect("portal:community_booking_status", pemda.slug, booking.tracking_code)
    return render(
        request,
        "community/public_booking_form.html",
        {"pemda": pemda, "point": point, "form": form, "spaces": spaces},
    )


FIELD_OF = {"starts_at": "start", "ends_at": "end"}


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            field = FIELD_OF.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@ratelimit("track", "60/m", methods=("GET", "POST"))
def booking_lookup(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    form = TrackForm(request.GET or None)
    if form.is_valid():
        booking = selectors.booking_public(pemda, form.cleaned_data["code"])
        if booking is not None:
            return redirect("portal:community_booking_status", pemda.slug, booking.tracking_code)
        form.add_error("code", _("No booking has this code. Check it and try again."))
    return render(request, "community/public_lookup.html", {"pemda": pemda, "form": form})


@ratelimit("track", "60/m", methods=("GET", "POST"))
def booking_status(request, pemda_slug: str, code: str):
    pemda = _pemda(pemda_slug)
    booking = selectors.booking_public(pemda, code)
    if booking is None:
        raise Http404
    now = timezone.now()
    may_cancel = booking.status in services.CANCELLABLE and booking.ends_at > now
    return render(
        request,
        "community/public_status.html",
        {
            "pemda": pemda,
            "booking": booking,
            "may_cancel": may_cancel,
            "cancel_form": CancelForm(),
            "statuses": BookingStatus,
        },
    )


@ratelimit("community-cancel", "10/10m")
@require_POST
def booking_cancel_public(request, pemda_slug: str, code: str):
    pemda = _pemda(pemda_slug)
    booking = selectors.booking_public(pemda, code)
    if booking is None:
        raise Http404
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the cancellation."))
    else:
        try:
            services.booking_cancel(
                booking=booking, confirm=True, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The booking has been cancelled."))
    return redirect("portal:community_booking_status", pemda.slug, booking.tracking_code)

"""Staff pages of community spaces: the booking queue and its decisions, spaces, activities.

Scope: the Pemda administrator sees every office, area staff the offices of their area
(`permissions.points_managed`). Views parse, authorize, call one service or selector, render.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.audit import audit_record
from balai.organizations.models import Pemda

from . import selectors, services
from .choices import BookingStatus
from .forms import (
    ActivityForm,
    CancelForm,
    QueueFilterForm,
    RefuseForm,
    SpaceForm,
    StaffBookingForm,
)
from .models import Activity, Space
from .permissions import points_managed
from .views_public import _add_errors

PAGE_SIZE = 25


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug, is_active=True)


def _context(request, pemda_slug):
    pemda = _pemda(pemda_slug)
    points = list(points_managed(request.user, pemda))
    if not points:
        raise PermissionDenied
    return pemda, points


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def queue(request, pemda_slug: str):
    """Booking requests and bookings of the offices the user keeps, by status."""
    pemda, points = _context(request, pemda_slug)
    tz = ZoneInfo(pemda.timezone)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = BookingStatus.REQUESTED
    form = QueueFilterForm(data)
    status = form.cleaned_data["status"] if form.is_valid() else BookingStatus.REQUESTED
    bookings = selectors.bookings_for_staff(request.user, pemda, status=status or None)
    if status in ("", BookingStatus.REFUSED, BookingStatus.CANCELLED):
        bookings = bookings.order_by("-starts_at", "-id")
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    clashes = selectors.overlapping_requests(rows)
    for booking in rows:
        booking.clashes = clashes.get(booking.pk, 0)
    return render(
        request,
        "community/staff_queue.html",
        {
            "pemda": pemda,
            "points": points,
            "form": form,
            "page": page,
            "rows": rows,
            "status": status,
            "tz": tz,
            "refuse_form": RefuseForm(),
        },
    )


def _booking(request, pemda, pk):
    booking = selectors.booking_for_staff(request.user, pemda, pk)
    if booking is None:
        raise Http404
    return booking


@login_required
def booking_detail(request, pemda_slug: str, pk: int):
    pemda, _points = _context(request, pemda_slug)
    booking = _booking(request, pemda, pk)
    # The contact person is personal data (UU 27/2022): every page showing it is logged.
    audit_record(
        actor=request.user,
        action="identity.view",
        target=booking,
        changes={"via": "community.booking"},
    )
    return render(
        request,
        "community/staff_booking.html",
        {
            "pemda": pemda,
            "booking": booking,
            "refuse_form": RefuseForm(),
            "cancel_form": CancelForm(),
            "may_cancel": booking.status in services.CANCELLABLE
            and booking.ends_at > timezone.now(),
            "conflicts": services.conflicts(
                booking.space, booking.starts_at, booking.ends_at, exclude=booking
            )
            if booking.status == BookingStatus.REQUESTED
            else [],
        },
    )


@login_required
@require_POST
def booking_approve(request, pemda_slug: str, pk: int):
    pemda, _points = _context(request, pemda_slug)
    booking = _booking(request, pemda, pk)
    try:
        services.booking_approve(booking=booking, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("staff:community_booking", pemda.slug, booking.pk)
    messages.success(request, _("Booking %(code)s approved.") % {"code": booking.tracking_code})
    return redirect("staff:community_queue", pemda.slug)


@login_required
@require_POST
def booking_refuse(request, pemda_slug: str, pk: int):
    pemda, _points = _context(request, pemda_slug)
    booking = _booking(request, pemda, pk)
    form = RefuseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for refusing; the group will read it."))
        services.booking_refuse(
            booking=booking, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("staff:community_booking", pemda.slug, booking.pk)
    messages.success(request, _("Booking %(code)s refused.") % {"code": booking.tracking_code})
    return redirect("staff:community_queue", pemda.slug)


@login_required
@require_POST
def booking_cancel(request, pemda_slug: str, pk: int):
    pemda, _points = _context(request, pemda_slug)
    booking = _booking(request, pemda, pk)
    form = CancelForm(request.POST)
    try:
        services.booking_cancel(
            booking=booking,
            actor=request.user,
            confirm=form.is_valid(),
            reason=form.cleaned_data.get("reason", "") if form.is_valid() else "",
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Booking %(code)s cancelled.") % {"code": booking.tracking_code}
        )
    return redirect("staff:community_booking", pemda.slug, booking.pk)


@login_required
def booking_new(request, pemda_slug: str):
    """A booking taken at the counter (approved at once unless unticked)."""
    pemda, points = _context(request, pemda_slug)
    spaces = list(
        Space.objects.filter(point__in=points, is_active=True, is_bookable=True)
        .select_related("point", "pemda")
        .order_by("point__name", "name")
    )
    tz = ZoneInfo(pemda.timezone)
    form = StaffBookingForm(request.POST or None, spaces=spaces, tz=tz)
    form.fields["space"].choices = [(s.pk, f"{s.name} · {s.point.name}") for s in spaces]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_request(
                actor=request.user,
                approve=data["approve"],
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
            messages.success(
                request, _("Booking %(code)s saved.") % {"code": booking.tracking_code}
            )
            return redirect("staff:community_booking", pemda.slug, booking.pk)
    return render(
        request,
        "community/staff_form.html",
        {"pemda": pemda, "form": form, "title": _("New booking")},
    )


# -- spaces ------------------------------------------------------------------------------------
@login_required
def space_list(request, pemda_slug: str):
    pemda, points = _context(request, pemda_slug)
    spaces = list(selectors.spaces_for_staff(request.user, pemda))
    return render(
        request, "community/staff_spaces.html", {"pemda": pemda, "spaces": spaces, "points": points}
    )


@login_required
def space_edit(request, pemda_slug: str, pk: int | None = None):
    pemda, points = _context(request, pemda_slug)
    space = None
    if pk is not None:
        space = get_object_or_404(Space, pk=pk, pemda=pemda, point__in=points)
    initial = (
        {
            "point": space.point_id,
            "name": space.name,
            "capacity": space.capacity,
            "facilities": space.facilities,
            "is_bookable": space.is_bookable,
            "is_active": space.is_active,
            "notes": space.notes,
        }
        if space
        else {"is_bookable": True, "is_active": True}
    )
    form = SpaceForm(request.POST or None, request.FILES or None, initial=initial, points=points)
    if space is not None:
        form.fields["point"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {p.pk: p for p in points}
        try:
            if space is None:
                services.space_create(
                    actor=request.user,
                    point=by_id[data["point"]],
                    name=data["name"],
                    capacity=data["capacity"],
                    facilities=data["facilities"],
                    is_bookable=data["is_bookable"],
                    notes=data["notes"],
                    photo=data["photo"],
                )
            else:
                services.space_update(
                    actor=request.user,
                    space=space,
                    name=data["name"],
                    capacity=data["capacity"],
                    facilities=data["facilities"],
                    is_bookable=data["is_bookable"],
                    is_active=data["is_active"],
                    notes=data["notes"],
                    photo=data["photo"],
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Space saved."))
            return redirect("staff:community_spaces", pemda.slug)
    return render(
        request,
        "community/staff_form.html",
        {
            "pemda": pemda,
            "form": form,
            "multipart": True,
            "title": _("Edit space") if space else _("New space"),
        },
    )


# -- activities --------------------------------------------------------------------------------
@login_required
def activity_list(request, pemda_slug: str):
    pemda, _points = _context(request, pemda_slug)
    page = Paginator(selectors.activities_for_staff(request.user, pemda), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "community/staff_activities.html", {"pemda": pemda, "page": page})


@login_required
def activity_edit(request, pemda_slug: str, pk: int | None = None):
    pemda, points = _context(request, pemda_slug)
    spaces = list(
        Space.objects.filter(point__in=points, is_active=True)
        .select_related("point", "pemda")
        .order_by("point__name", "name")
    )
    activity = None
    if pk is not None:
        activity = get_object_or_404(
            Activity.objects.select_related("space", "space__point"),
            pk=pk,
            pemda=pemda,
            space__point__in=points,
        )
    initial = {"is_public": True, "valid_from": timezone.now().date()}
    if activity:
        initial = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
        initial["space"] = activity.space_id
    form = ActivityForm(request.POST or None, initial=initial, spaces=spaces)
    if activity is not None:
        form.fields["space"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.ACTIVITY_FIELDS}
        try:
            if activity is None:
                services.activity_create(actor=request.user, space=data["space_object"], **fields)
            else:
                services.activity_update(actor=request.user, activity=activity, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("staff:community_activities", pemda.slug)
    return render(
        request,
        "community/staff_form.html",
        {
            "pemda": pemda,
            "form": form,
            "activity": activity,
            "title": _("Edit activity") if activity else _("New activity"),
        },
    )


@login_required
@require_POST
def activity_delete(request, pemda_slug: str, pk: int):
    pemda, points = _context(request, pemda_slug)
    activity = get_object_or_404(
        Activity.objects.select_related("space", "space__point"),
        pk=pk,
        pemda=pemda,
        space__point__in=points,
    )
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm."))
        return redirect("staff:community_activity_edit", pemda.slug, activity.pk)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Activity removed."))
    return redirect("staff:community_activities", pemda.slug)

"""Writers of community spaces: spaces, weekly activities and the booking workflow.

Booking rules (docs/community-spaces.md):
- Requests may overlap one another: several groups may ask for the same evening. A request that
  overlaps an approved booking or an activity occurrence is refused at once, since it could
  never be approved.
- Approved bookings never overlap one another nor an activity of the same space. Every writer
  that could create an overlap (request, approve, activity create/update) first locks the
  space's row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite takes the database's write lock at
  BEGIN IMMEDIATE), then checks; on PostgreSQL an exclusion constraint on
  (space, tstzrange(starts_at, ends_at)) for approved rows is the last line of defence.
- Intervals are half-open: a booking until 10.00 and the next from 10.00 touch, not overlap.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from balai.core.audit import audit_record

from . import schedule
from .choices import BookingChannel, BookingStatus, Facility, GroupKind
from .models import Activity, Booking, Space
from .permissions import may_manage

MAX_BOOKING_HOURS = 12
PUBLIC_HORIZON_DAYS = 90  # how far ahead citizens may ask
MIN_LEAD = dt.timedelta(hours=1)  # a public request starts at least this far in the future
DASH = "\u2013"  # en dash between times
CANCELLABLE = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


# -- helpers -----------------------------------------------------------------------------------
def zone(pemda) -> ZoneInfo:
    return ZoneInfo(pemda.timezone)


def normalize_phone(value: str) -> str:
    """E.164 for an Indonesian (or international) number, or ValidationError."""
    value = (value or "").strip()
    message = _("Enter a valid phone number, e.g. 0812 3456 7890.")
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(message, code="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def local_span(starts_at: dt.datetime, ends_at: dt.datetime, tz: ZoneInfo) -> str:
    """'Jumat 6 Desember 2026, 13.00-15.00' in the reader's language, in the Pemda's zone."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H.%M}{DASH}{end:%H.%M}"
    return f"{day} {start:%H.%M} {DASH} {formats.date_format(end, 'l j F Y')} {end:%H.%M}"


def _lock(space: Space) -> Space:
    """Lock the space's row for the rest of the transaction: writers of one space queue here."""
    return Space.objects.select_for_update().select_related("pemda", "point").get(pk=space.pk)


def _booked_message(starts_at, ends_at, tz) -> str:
    return _("This space is already booked for %(when)s. Choose another time or another space.") % {
        "when": local_span(starts_at, ends_at, tz)
    }


def conflicts(
    space: Space,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    exclude: Booking | None = None,
) -> list[str]:
    """What [starts_at, ends_at) collides with in `space`: approved bookings and activity
    occurrences, as messages (empty when free). Call with the space locked."""
    tz = zone(space.pemda)
    found = []
    approved = Booking.objects.filter(
        space=space,
        status=BookingStatus.APPROVED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).order_by("starts_at")
    if exclude is not None:
        approved = approved.exclude(pk=exclude.pk)
    for other in approved[:3]:
        found.append(_booked_message(other.starts_at, other.ends_at, tz))
    activities = Activity.objects.filter(space=space)
    for occurrence in schedule.occurrences_between(activities, starts_at, ends_at, tz)[:3]:
        found.append(
            _(
                "The space is used by the weekly activity “%(title)s” on %(when)s. "
                "Choose another time or another space."
            )
            % {
                "title": occurrence.activity.title
                if occurrence.activity.is_public
                else _("an activity of the office"),
                "when": local_span(occurrence.starts_at, occurrence.ends_at, tz),
            }
        )
    return found


def _authorize(actor, point) -> None:
    if actor is None or not may_manage(actor, point):
        raise PermissionDenied(_("You do not keep the spaces of this office."))


def _actor(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _notify(booking: Booking, text: str) -> None:
    """A WhatsApp text to the contact person through the outbox, when the Pemda has an active
    WhatsApp account (sent once per booking and status: the idempotency key)."""
    from balai.messaging.choices import ChannelKind
    from balai.messaging.models import ChannelAccount
    from balai.messaging.outbound import outbox_enqueue

    has_account = ChannelAccount.objects.filter(
        pemda_id=booking.pemda_id, kind=ChannelKind.WHATSAPP, is_active=True
    ).exists()
    if not has_account or not booking.contact_phone:
        return
    outbox_enqueue(
        pemda=booking.pemda,
        channel=ChannelKind.WHATSAPP,
        recipient=booking.contact_phone.lstrip("+"),
        text=text,
        idempotency_key=f"community-booking:{booking.pk}:{booking.status}",
    )


def _status_text(booking: Booking) -> str:
    tz = zone(booking.pemda)
    values = {
        "code": booking.tracking_code,
        "space": booking.space.name,
        "office": booking.space.point.name,
        "when": local_span(booking.starts_at, booking.ends_at, tz),
        "reason": booking.refusal_reason or booking.cancel_reason,
    }
    if booking.status == BookingStatus.APPROVED:
        return (
            _("Booking %(code)s approved: %(space)s, %(office)s, %(when)s. See you there.") % values
        )
    if booking.status == BookingStatus.REFUSED:
        return _("Booking %(code)s (%(space)s, %(when)s) was refused: %(reason)s") % values
    return _("Booking %(code)s (%(space)s, %(when)s) was cancelled. %(reason)s") % values


# -- spaces ------------------------------------------------------------------------------------
def _check_facilities(facilities) -> list[str]:
    facilities = list(dict.fromkeys(facilities or []))
    unknown = [f for f in facilities if f not in Facility.values]
    if unknown:
        raise ValidationError({"facilities": _("Unknown facility: %s") % ", ".join(unknown)})
    return facilities


@transaction.atomic
def space_create(
    *,
    actor,
    point,
    name: str,
    capacity: int,
    facilities=(),
    is_bookable: bool = True,
    notes: str = "",
    photo=None,
) -> Space:
    _authorize(actor, point)
    space = Space(
        pemda_id=point.pemda_id,
        point=point,
        name=name.strip(),
        capacity=capacity,
        facilities=_check_facilities(facilities),
        is_bookable=is_bookable,
        notes=notes.strip(),
    )
    if photo:
        space.photo = photo
    space.full_clean(exclude=["pemda", "point"])
    space.save()
    audit_record(actor=actor, action="community.space.create", target=space)
    return space


@transaction.atomic
def space_update(*, actor, space: Space, **fields) -> Space:
    _authorize(actor, space.point)
    allowed = {"name", "capacity", "facilities", "is_bookable", "is_active", "notes", "photo"}
    if set(fields) - allowed:
        raise TypeError(f"Cannot change {set(fields) - allowed}")
    if "facilities" in fields:
        fields["facilities"] = _check_facilities(fields["facilities"])
    changes = {}
    for name, value in fields.items():
        if name == "photo" and not value:
            continue
        old = getattr(space, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(space, name, value)
    if changes:
        space.full_clean(exclude=["pemda", "point"])
        space.save()
        audit_record(actor=actor, action="community.space.update", target=space, changes=changes)
    return space


# -- activities --------------------------------------------------------------------------------
def _check_activity(activity: Activity, space: Space) -> None:
    if not activity.weekdays or any(
        not isinstance(d, int) or not 0 <= d <= 6 for d in activity.weekdays
    ):
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    activity.weekdays = sorted(set(activity.weekdays))
    activity.full_clean(exclude=["pemda", "space"])
    others = Activity.objects.filter(space=space).exclude(pk=activity.pk)
    for other in others:
        if schedule.activities_clash(activity, other):
            raise ValidationError(
                _("“%(other)s” already uses this space at that time.") % {"other": other.title}
            )
    # Approved bookings from today on that the activity would overlap.
    tz = zone(space.pemda)
    today = timezone.now().astimezone(tz).date()
    first = max(activity.valid_from, today)
    horizon = dt.datetime.combine(first, dt.time(0), tz)
    bookings = Booking.objects.filter(
        space=space, status=BookingStatus.APPROVED, ends_at__gt=horizon
    )
    if activity.valid_until:
        until = dt.datetime.combine(activity.valid_until + dt.timedelta(days=1), dt.time(0), tz)
        bookings = bookings.filter(starts_at__lt=until)
    for booking in bookings.order_by("starts_at"):
        if schedule.occurrences_between([activity], booking.starts_at, booking.ends_at, tz):
            raise ValidationError(
                _("The approved booking of %(group)s on %(when)s is at that time.")
                % {
                    "group": booking.group_name,
                    "when": local_span(booking.starts_at, booking.ends_at, tz),
                }
            )


@transaction.atomic
def activity_create(
    *,
    actor,
    space: Space,
    title: str,
    organiser: str,
    weekdays,
    start_time: dt.time,
    end_time: dt.time,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    description: str = "",
    is_public: bool = True,
) -> Activity:
    _authorize(actor, space.point)
    space = _lock(space)
    activity = Activity(
        pemda_id=space.pemda_id,
        space=space,
        title=title.strip(),
        organiser=organiser.strip(),
        description=description.strip(),
        weekdays=list(weekdays),
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_until=valid_until,
        is_public=is_public,
    )
    _check_activity(activity, space)
    activity.save()
    audit_record(actor=actor, action="community.activity.create", target=activity)
    return activity


ACTIVITY_FIELDS = {
    "title",
    "organiser",
    "description",
    "weekdays",
    "start_time",
    "end_time",
    "valid_from",
    "valid_until",
    "is_public",
}


@transaction.atomic
def activity_update(*, actor, activity: Activity, **fields) -> Activity:
    _authorize(actor, activity.space.point)
    if set(fields) - ACTIVITY_FIELDS:
        raise TypeError(f"Cannot change {set(fields) - ACTIVITY_FIELDS}")
    space = _lock(activity.space)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    changes = {}
    for name, value in fields.items():
        old = getattr(activity, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(activity, name, value)
    if changes:
        _check_activity(activity, space)
        activity.save()
        audit_record(
            actor=actor, action="community.activity.update", target=activity, changes=changes
        )
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    _authorize(actor, activity.space.point)
    audit_record(
        actor=actor,
        action="community.activity.delete",
        target=activity,
        changes={"title": activity.title, "weekdays": activity.weekdays},
    )
    activity.delete()


# -- bookings ----------------------------------------------------------------------------------
@transaction.atomic
def booking_request(
    *,
    space: Space,
    group_name: str,
    group_kind: str,
    contact_name: str,
    contact_phone: str,
    purpose: str,
    attendees: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor=None,
    approve: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """A group asks for a space (on the portal, or at the counter when `actor` is staff; staff
    may approve at once with `approve`). Refused at once when it could never be approved."""
    now = now or timezone.now()
    staff = _actor(actor)
    if staff is not None:
        _authorize(staff, space.point)
    elif approve:
        raise PermissionDenied(_("You do not keep the spaces of this office."))
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("Aware datetimes only.")
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not space.is_active or not space.is_bookable:
        error("__all__", _("This space cannot be booked."))
    if group_kind not in GroupKind.values:
        error("group_kind", _("Choose the kind of group."))
    try:
        contact_phone = normalize_phone(contact_phone)
    except ValidationError as exc:
        error("contact_phone", exc.messages[0])
    if attendees is None or attendees < 1:
        error("attendees", _("Enter the number of people expected."))
    elif attendees > space.capacity:
        error(
            "attendees",
            _("%(space)s holds at most %(capacity)s people.")
            % {"space": space.name, "capacity": space.capacity},
        )
    if ends_at <= starts_at:
        error("ends_at", _("The end must be after the start."))
    elif ends_at - starts_at > dt.timedelta(hours=MAX_BOOKING_HOURS):
        error(
            "ends_at", _("A booking lasts at most %(hours)s hours.") % {"hours": MAX_BOOKING_HOURS}
        )
    if staff is None:
        if starts_at < now + MIN_LEAD:
            error("starts_at", _("Choose a time at least one hour from now."))
        elif starts_at > now + dt.timedelta(days=PUBLIC_HORIZON_DAYS):
            error(
                "starts_at",
                _("Bookings open %(days)s days ahead at most.") % {"days": PUBLIC_HORIZON_DAYS},
            )
    elif ends_at <= now:
        error("starts_at", _("This time is already over."))
    if errors:
        raise ValidationError(errors)

    space = _lock(space)
    found = conflicts(space, starts_at, ends_at)
    if found:
        raise ValidationError(found)
    booking = Booking(
        pemda_id=space.pemda_id,
        space=space,
        group_name=group_name.strip(),
        group_kind=group_kind,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone,
        purpose=purpose.strip(),
        attendees=attendees,
        starts_at=starts_at,
        ends_at=ends_at,
        channel=BookingChannel.STAFF if staff else BookingChannel.PORTAL,
        created_by=staff,
    )
    if approve:
        booking.status = BookingStatus.APPROVED
        booking.decided_by = staff
        booking.decided_at = now
    booking.full_clean(exclude=["pemda", "space", "tracking_code", "decided_by", "created_by"])
    _save_checked(booking, space)
    audit_record(
        actor=staff,
        action="community.booking.request",
        target=booking,
        pemda=space.pemda,
        changes={"status": booking.status, "channel": booking.channel},
    )
    if approve:
        transaction.on_commit(lambda: _notify(booking, _status_text(booking)))
    return booking


def _save_checked(booking: Booking, space: Space) -> None:
    """Save; an overlap the database refuses (PostgreSQL's exclusion constraint) becomes the
    same message as the check's."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        if "no_overlap" not in str(exc):
            raise
        raise ValidationError(
            _booked_message(booking.starts_at, booking.ends_at, zone(space.pemda))
        ) from exc


def _locked_booking(booking: Booking) -> tuple[Booking, Space]:
    space = _lock(booking.space)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.space = space
    booking.pemda = space.pemda
    return booking, space


@transaction.atomic
def booking_approve(*, booking: Booking, actor, now: dt.datetime | None = None) -> Booking:
    """Approve a request: only when nothing approved or no activity overlaps it by now."""
    _authorize(actor, booking.space.point)
    now = now or timezone.now()
    booking, space = _locked_booking(booking)
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(
            _("Only a request waiting for approval can be approved (this one is %(status)s).")
            % {"status": booking.get_status_display().lower()}
        )
    if booking.ends_at <= now:
        raise ValidationError(_("This time is already over."))
    found = conflicts(space, booking.starts_at, booking.ends_at, exclude=booking)
    if found:
        raise ValidationError(found)
    booking.status = BookingStatus.APPROVED
    booking.decided_by = actor
    booking.decided_at = now
    _save_checked(booking, space)
    audit_record(
        actor=actor,
        action="community.booking.approve",
        target=booking,
        changes={"status": [BookingStatus.REQUESTED, BookingStatus.APPROVED]},
    )
    transaction.on_commit(lambda: _notify(booking, _status_text(booking)))
    return booking


@transaction.atomic
def booking_refuse(
    *, booking: Booking, actor, reason: str, now: dt.datetime | None = None
) -> Booking:
    """Refuse a request, with the reason the group will read."""
    _authorize(actor, booking.space.point)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for refusing; the group will read it.")}
        )
    booking, _space = _locked_booking(booking)
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(
            _("Only a request waiting for approval can be refused (this one is %(status)s).")
            % {"status": booking.get_status_display().lower()}
        )
    booking.status = BookingStatus.REFUSED
    booking.refusal_reason = reason[:500]
    booking.decided_by = actor
    booking.decided_at = now or timezone.now()
    booking.full_clean(exclude=["pemda", "space", "decided_by", "created_by"])
    booking.save()
    audit_record(
        actor=actor,
        action="community.booking.refuse",
        target=booking,
        changes={"status": [BookingStatus.REQUESTED, BookingStatus.REFUSED], "reason": reason},
    )
    transaction.on_commit(lambda: _notify(booking, _status_text(booking)))
    return booking


@transaction.atomic
def booking_cancel(
    *,
    booking: Booking,
    actor=None,
    confirm: bool,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Cancel a request or an approved booking that has not ended. By the office's staff
    (`actor`), or by the group itself on the tracking page (no actor: the code is the key).
    `confirm` must be true: the pages ask before calling."""
    staff = _actor(actor)
    if staff is not None:
        _authorize(staff, booking.space.point)
    if not confirm:
        raise ValidationError({"confirm": _("Tick the box to confirm the cancellation.")})
    now = now or timezone.now()
    booking, _space = _locked_booking(booking)
    if booking.status not in CANCELLABLE:
        raise ValidationError(
            _("This booking cannot be cancelled (it is %(status)s).")
            % {"status": booking.get_status_display().lower()}
        )
    if booking.ends_at <= now:
        raise ValidationError(_("This time is already over."))
    before = booking.status
    booking.status = BookingStatus.CANCELLED
    booking.cancel_reason = (reason or "").strip()[:500]
    if staff is not None:
        booking.decided_by = staff
        booking.decided_at = now
    booking.save()
    audit_record(
        actor=staff,
        action="community.booking.cancel",
        target=booking,
        pemda=booking.pemda,
        changes={
            "status": [before, BookingStatus.CANCELLED],
            "by": "staff" if staff else "group",
            "reason": booking.cancel_reason,
        },
    )
    if staff is not None:
        transaction.on_commit(lambda: _notify(booking, _status_text(booking)))
    return booking

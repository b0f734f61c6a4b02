"""Writers of the outreach app: one transaction each, checked, audited.

Programs and events are kept by the Pemda admin. Moving an event by hand locks it, so that
re-planning keeps the staff's decision. A plan run is created here and executed by the worker
(`balai.outreach.tasks.plan_run_execute`), which replaces the program's unlocked *planned*
events of the period with the planner's proposal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balai.core.audit import audit_record
from balai.core.signals import pemda_data_changed_send
from balai.organizations.selectors import pemda_calendar
from balai.regions.choices import Level

from . import permissions
from .choices import STATUSES_NEEDING_REASON, EventStatus, RunStatus, VenueLevel
from .models import Event, PlanRun, Program, default_constraints, default_weights

WEIGHT_KEYS = ("remoteness", "population", "since_visit", "demand")  # planner.COMPONENTS
MAX_PERIOD_DAYS = 366 * 2
RESERVED_SLUGS = {"baru", "acara"}  # staff URL words next to the program's slug
PROGRAM_FIELDS = (
    "name",
    "description",
    "venue_level",
    "weekdays",
    "slots_per_day",
    "start_time",
    "end_time",
    "target_year",
    "target_all",
    "target_count",
    "budget_notes",
    "is_public",
    "is_active",
)


def _require_edit(actor, pemda) -> None:
    if actor is not None and not permissions.can_edit(actor, pemda):
        raise PermissionDenied(_("Only the Pemda administrator may change outreach programs."))


def _weekdays(values: Iterable) -> list[int]:
    try:
        days = sorted({int(v) for v in values})
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Weekdays are numbers from 0 (Monday) to 6 (Sunday).")) from exc
    if not days or any(d < 0 or d > 6 for d in days):
        raise ValidationError(_("Choose at least one weekday (0 = Monday ... 6 = Sunday)."))
    return days


def _check_venue(pemda, venue, level: str | None) -> None:
    if not (venue.code == pemda.region_id or venue.code.startswith(pemda.region_id + ".")):
        raise ValidationError(
            _("%(region)s is not inside %(pemda)s.") % {"region": venue.name, "pemda": pemda.name}
        )
    if level == VenueLevel.KECAMATAN and venue.level != Level.KECAMATAN:
        raise ValidationError(_("This program's events are held at a kecamatan."))
    if level == VenueLevel.VILLAGE and venue.level != Level.DESA_KELURAHAN:
        raise ValidationError(_("This program's events are held at a desa/kelurahan."))


def _own(pemda, objs, what: str) -> list:
    objs = list(objs or [])
    for obj in objs:
        if obj.pemda_id != pemda.pk:
            raise ValidationError(
                _("%(what)s %(obj)s is not this Pemda's.") % {"what": what, "obj": obj}
            )
    return objs


# -- programs ----------------------------------------------------------------------------------
@transaction.atomic
def program_create(
    *, actor, pemda, name: str, slug: str = "", opds=(), services=(), **fields
) -> Program:
    _require_edit(actor, pemda)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    slug = slugify(slug or name)[:60]
    if not name.strip() or not slug:
        raise ValidationError(_("Give the program a name."))
    if slug in RESERVED_SLUGS or Program.objects.filter(pemda=pemda, slug=slug).exists():
        raise ValidationError(
            _("Another program already uses the address %(slug)s.") % {"slug": slug}
        )
    if "weekdays" in fields:
        fields["weekdays"] = _weekdays(fields["weekdays"])
    program = Program(pemda=pemda, name=name.strip(), slug=slug, **fields)
    program.full_clean(exclude=["pemda"])
    program.save()
    program.opds.set(_own(pemda, opds, _("OPD")))
    program.services.set(_own(pemda, services, _("Service")))
    audit_record(
        actor=actor,
        action="outreach.program.create",
        target=program,
        changes={"name": program.name, "slug": slug, "weekdays": program.weekdays},
    )
    return program


@transaction.atomic
def program_update(*, actor, program: Program, opds=None, services=None, **fields) -> Program:
    _require_edit(actor, program.pemda)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    if "weekdays" in fields:
        fields["weekdays"] = _weekdays(fields["weekdays"])
    changes = {}
    for key, value in fields.items():
        if getattr(program, key) != value:
            changes[key] = [str(getattr(program, key)), str(value)]
            setattr(program, key, value)
    program.full_clean(exclude=["pemda"])
    program.save()
    if opds is not None:
        program.opds.set(_own(program.pemda, opds, _("OPD")))
        changes["opds"] = [o.pk for o in opds]
    if services is not None:
        program.services.set(_own(program.pemda, services, _("Service")))
        changes["services"] = [s.pk for s in services]
    audit_record(actor=actor, action="outreach.program.update", target=program, changes=changes)
    return program


# -- events ------------------------------------------------------------------------------------
@transaction.atomic
def event_schedule(
    *,
    actor,
    program: Program,
    date: dt.date,
    venue,
    slot: int = 0,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    host: str = "",
    opds=None,
    services=None,
    notes: str = "",
    locked: bool = False,
    published: bool = False,
    status: str = EventStatus.PLANNED,
    attendance: int | None = None,
) -> Event:
    """Schedule one event by hand (OPD and services default to the program's)."""
    pemda = program.pemda
    _require_edit(actor, pemda)
    _check_venue(pemda, venue, program.venue_level)
    event = Event.objects.create(
        pemda=pemda,
        program=program,
        date=date,
        slot=slot,
        start_time=start_time or program.start_time,
        end_time=end_time or program.end_time,
        venue=venue,
        place=place,
        host=host,
        notes=notes,
        locked=locked,
        published=published,
        status=status,
        attendance=attendance,
    )
    event.opds.set(_own(pemda, program.opds.all() if opds is None else opds, _("OPD")))
    event.services.set(
        _own(pemda, program.services.all() if services is None else services, _("Service"))
    )
    audit_record(
        actor=actor,
        action="outreach.event.schedule",
        target=event,
        changes={"date": date.isoformat(), "venue": venue.code},
    )
    return event


EVENT_FIELDS = ("start_time", "end_time", "place", "host", "notes", "attendance")


@transaction.atomic
def event_update(
    *,
    actor,
    event: Event,
    status: str | None = None,
    reason: str = "",
    opds=None,
    services=None,
    **fields,
) -> Event:
    """Change an event's details or status (cancelled and postponed need a reason)."""
    _require_edit(actor, event.pemda)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    changes = {}
    if status is not None and status != event.status:
        if status not in EventStatus.values:
            raise ValidationError(_("Unknown status."))
        reason = (reason or "").strip()
        if status in STATUSES_NEEDING_REASON and not reason:
            raise ValidationError(_("Give the reason for cancelling or postponing the event."))
        changes["status"] = [event.status, status]
        event.status = status
        event.status_reason = reason
    if fields.get("attendance") is not None and int(fields["attendance"]) < 0:
        raise ValidationError(_("Attendance cannot be negative."))
    for key, value in fields.items():
        if getattr(event, key) != value:
            changes[key] = [str(getattr(event, key)), str(value)]
            setattr(event, key, value)
    if event.start_time and event.end_time and event.end_time <= event.start_time:
        raise ValidationError(_("The event must end after it starts."))
    event.save()
    if opds is not None:
        event.opds.set(_own(event.pemda, opds, _("OPD")))
        changes["opds"] = [o.pk for o in opds]
    if services is not None:
        event.services.set(_own(event.pemda, services, _("Service")))
        changes["services"] = [s.pk for s in services]
    audit_record(actor=actor, action="outreach.event.update", target=event, changes=changes)
    return event


@transaction.atomic
def event_lock(*, actor, event: Event, locked: bool = True) -> Event:
    _require_edit(actor, event.pemda)
    if event.locked != locked:
        event.locked = locked
        event.save(update_fields=["locked", "updated_at"])
        audit_record(
            actor=actor,
            action="outreach.event.lock" if locked else "outreach.event.unlock",
            target=event,
        )
    return event


def event_unlock(*, actor, event: Event) -> Event:
    return event_lock(actor=actor, event=event, locked=False)


def move_warnings(event: Event, date: dt.date, calendar=None) -> list[str]:
    """What is questionable about holding `event` on `date` (holiday, weekday, same kecamatan
    the same week)."""
    program = event.program
    calendar = calendar or pemda_calendar(event.pemda)
    warnings = []
    holiday = calendar.holiday_name(date)
    if holiday:
        warnings.append(_("%(date)s is a holiday (%(name)s).") % {"date": date, "name": holiday})
    if date.weekday() not in (program.weekdays or []):
        warnings.append(_("%(date)s is not one of the program's weekdays.") % {"date": date})
    monday = date - dt.timedelta(days=date.weekday())
    kecamatan = event.venue_id[:8]
    same_week = (
        Event.objects.filter(
            program=program,
            date__gte=monday,
            date__lt=monday + dt.timedelta(days=7),
            venue__code__startswith=kecamatan,
        )
        .exclude(pk=event.pk)
        .exclude(status__in=STATUSES_NEEDING_REASON)
    )
    if same_week.exists():
        warnings.append(_("Another event in the same kecamatan is already in that week."))
    day_count = (
        Event.objects.filter(program=program, date=date)
        .exclude(pk=event.pk)
        .exclude(status__in=STATUSES_NEEDING_REASON)
        .count()
    )
    if day_count >= program.slots_per_day:
        warnings.append(_("That day already has as many events as the program holds per day."))
    return warnings


@transaction.atomic
def event_move(*, actor, event: Event, date: dt.date, confirm: bool = False) -> list[str]:
    """Move an event to another date; it is locked so that re-planning keeps it.

    Returns the warnings; when there are some and `confirm` is False nothing is changed and a
    ValidationError carries them.
    """
    _require_edit(actor, event.pemda)
    if event.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise ValidationError(_("A held or cancelled event cannot be moved."))
    warnings = move_warnings(event, date)
    if warnings and not confirm:
        raise ValidationError(warnings)
    old = event.date
    taken = set(
        Event.objects.filter(program=event.program, date=date)
        .exclude(pk=event.pk)
        .values_list("slot", flat=True)
    )
    event.slot = next(s for s in range(len(taken) + 1) if s not in taken)
    event.date = date
    event.locked = True
    event.save(update_fields=["date", "slot", "locked", "updated_at"])
    audit_record(
        actor=actor,
        action="outreach.event.move",
        target=event,
        changes={"date": [old.isoformat(), date.isoformat()], "warnings": warnings},
    )
    return warnings


@transaction.atomic
def events_publish(
    *, actor, program: Program, start: dt.date | None = None, end: dt.date | None = None
) -> int:
    """Publish the program's planned and confirmed events (in the period when given)."""
    _require_edit(actor, program.pemda)
    events = Event.objects.filter(
        program=program,
        published=False,
        status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED],
    )
    if start:
        events = events.filter(date__gte=start)
    if end:
        events = events.filter(date__lte=end)
    count = events.update(published=True)
    pemda_data_changed_send([program.pemda_id])
    audit_record(
        actor=actor,
        action="outreach.events.publish",
        target=program,
        changes={"count": count, "start": str(start or ""), "end": str(end or "")},
    )
    return count


# -- plan runs ---------------------------------------------------------------------------------
def clean_constraints(program: Program, data: dict | None) -> dict:
    out = default_constraints()
    out["weekdays"] = list(program.weekdays)
    out["slots_per_day"] = program.slots_per_day
    data = dict(data or {})
    if "weekdays" in data:
        out["weekdays"] = _weekdays(data["weekdays"])
    if "slots_per_day" in data:
        slots = int(data["slots_per_day"])
        if not 1 <= slots <= 10:
            raise ValidationError(_("Events per day must be between 1 and 10."))
        out["slots_per_day"] = slots
    blackout = []
    for value in data.get("blackout") or []:
        try:
            blackout.append(dt.date.fromisoformat(str(value)).isoformat())
        except ValueError as exc:
            raise ValidationError(
                _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}
            ) from exc
    out["blackout"] = sorted(set(blackout))
    for key in ("one_per_kecamatan_per_week", "exclude_visited"):
        if key in data:
            out[key] = bool(data[key])
    return out


def clean_weights(data: dict | None) -> dict:
    out = dict.fromkeys(WEIGHT_KEYS, 0.0) if data else default_weights()
    for key in WEIGHT_KEYS:
        if data and key in data and data[key] not in (None, ""):
            try:
                value = float(data[key])
            except (TypeError, ValueError) as exc:
                raise ValidationError(_("Weights are numbers.")) from exc
            if value < 0 or value > 100:
                raise ValidationError(_("Weights are between 0 and 100."))
            out[key] = value
    if not any(out.values()):
        raise ValidationError(_("Give at least one weight above zero."))
    return out


@transaction.atomic
def plan_run_create(
    *,
    actor,
    program: Program,
    period_start: dt.date,
    period_end: dt.date,
    constraints: dict | None = None,
    weights: dict | None = None,
    enqueue: bool = True,
) -> PlanRun:
    """Record a plan run and hand it to the worker once the transaction commits."""
    _require_edit(actor, program.pemda)
    if period_end < period_start:
        raise ValidationError(_("The period must end after it starts."))
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise ValidationError(_("Plan at most two years at a time."))
    run = PlanRun.objects.create(
        pemda=program.pemda,
        program=program,
        period_start=period_start,
        period_end=period_end,
        constraints=clean_constraints(program, constraints),
        weights=clean_weights(weights),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        status=RunStatus.QUEUED,
        message=_("Waiting for the worker."),
    )
    audit_record(
        actor=actor,
        action="outreach.plan.create",
        target=program,
        changes={"run": run.pk, "start": str(period_start), "end": str(period_end)},
    )
    if enqueue:
        from .tasks import plan_run_execute

        transaction.on_commit(lambda: plan_run_execute.enqueue(run.pk))
    return run


@transaction.atomic
def event_photo_add(*, actor, event: Event, content, caption: str = ""):
    """Store a photo already cleaned by `balai.complaints.attachments.clean_upload` (re-encoded
    JPEG without EXIF/GPS)."""
    from .models import EventPhoto

    _require_edit(actor, event.pemda)
    photo = EventPhoto(event=event, caption=caption.strip()[:200], uploaded_by=actor)
    photo.image.save(content.name, content, save=False)
    photo.save()
    audit_record(
        actor=actor,
        action="outreach.event.photo",
        target=event,
        pemda=event.pemda,
        changes={"photo": photo.pk},
    )
    return photo

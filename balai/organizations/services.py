"""Writes about Pemda, OPD and calendars: one transaction and an audit row each."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balai.core.audit import audit_record
from balai.core.calendars import PERPRES_21_2023_HOURS
from balai.regions.choices import Level, timezone_for_code
from balai.regions.models import Region

from .choices import SessionKind
from .models import (
    OPD,
    CalendarDay,
    OpeningException,
    OpeningRule,
    Pemda,
    ServicePoint,
    WorkingHours,
)


@transaction.atomic
def pemda_create(
    *,
    actor,
    region: Region,
    seat_name: str = "",
    seat_lat: float | None = None,
    seat_lng: float | None = None,
    slug: str | None = None,
    is_demo: bool = False,
) -> Pemda:
    """A new tenant for a kabupaten/kota, with the Perpres 21/2023 working hours."""
    if region.level != Level.KABUPATEN_KOTA:
        raise ValueError("A Pemda is a kabupaten or a kota.")
    pemda = Pemda(
        region=region,
        name=region.name,
        slug=slug or slugify(region.name.removeprefix("Kabupaten ").removeprefix("Kota ")),
        seat_name=seat_name,
        seat_lat=seat_lat,
        seat_lng=seat_lng,
        timezone=timezone_for_code(region.code),
        is_demo=is_demo,
    )
    pemda.full_clean()
    pemda.save()
    WorkingHours.objects.bulk_create(
        WorkingHours(pemda=pemda, weekday=day, start=start, end=end)
        for day, intervals in PERPRES_21_2023_HOURS.items()
        for start, end in intervals
    )
    audit_record(actor=actor, action="pemda.create", target=pemda, pemda=pemda)
    return pemda


@transaction.atomic
def calendar_day_set(*, actor, pemda: Pemda, date: dt.date, kind: str, name: str) -> CalendarDay:
    """Close (local holiday) or open (working day despite a holiday) one date for a Pemda."""
    day, created = CalendarDay.objects.update_or_create(
        pemda=pemda, date=date, defaults={"kind": kind, "name": name}
    )
    day.full_clean()
    audit_record(
        actor=actor,
        action="calendar.set",
        target=day,
        changes={"date": date.isoformat(), "kind": kind, "name": name, "created": created},
    )
    return day


@transaction.atomic
def opd_create(*, actor, pemda: Pemda, name: str, short_name: str, kind: str, region=None) -> OPD:
    opd = OPD(pemda=pemda, name=name, short_name=short_name, kind=kind, region=region)
    opd.full_clean()
    opd.save()
    audit_record(actor=actor, action="opd.create", target=opd)
    return opd


@transaction.atomic
def service_point_create(
    *,
    actor,
    pemda: Pemda,
    name: str,
    kind: str,
    region: Region,
    slug: str | None = None,
    unit=None,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    services=(),
) -> ServicePoint:
    """A place where citizens are served; `services` are catalog services offered there."""
    if not (region.code == pemda.region_id or region.code.startswith(pemda.region_id + ".")):
        raise ValidationError({"region": _("The area lies outside the Pemda.")})
    point = ServicePoint(
        pemda=pemda,
        name=name,
        slug=slug or slugify(name)[:80],
        kind=kind,
        region=region,
        unit=unit,
        address=address,
        lat=lat,
        lng=lng,
    )
    point.full_clean()
    point.save()
    services = list(services)
    if any(service.pemda_id != pemda.pk for service in services):
        raise ValidationError({"services": _("A service of another Pemda cannot be offered.")})
    point.services.set(services)
    audit_record(
        actor=actor,
        action="service_point.create",
        target=point,
        changes={"services": [s.code for s in services]},
    )
    return point


@transaction.atomic
def opening_rule_add(
    *,
    actor,
    point: ServicePoint,
    weekday: int,
    start: dt.time,
    end: dt.time,
    session_kind: str = SessionKind.REGULAR,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> OpeningRule:
    """Weekly opening hours of one session kind (e.g. a night service on Monday 19.00-21.00)."""
    rule = OpeningRule(
        point=point,
        weekday=weekday,
        start=start,
        end=end,
        session_kind=session_kind,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action="service_point.hours",
        target=point,
        changes={
            "weekday": weekday,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "session": session_kind,
        },
    )
    return rule


@transaction.atomic
def opening_exception_set(
    *,
    actor,
    point: ServicePoint,
    date: dt.date,
    is_open: bool,
    session_kind: str = SessionKind.REGULAR,
    start: dt.time | None = None,
    end: dt.time | None = None,
    note: str = "",
) -> OpeningException:
    """Close a session kind on a date (whole day without hours), or open a window anyway."""
    exception = OpeningException(
        point=point,
        date=date,
        is_open=is_open,
        session_kind=session_kind,
        start=start,
        end=end,
        note=note,
    )
    exception.full_clean()
    if is_open and (start is None or end is None or start >= end):
        raise ValidationError(_("An opening needs a start before its end."))
    exception.save()
    audit_record(
        actor=actor,
        action="service_point.exception",
        target=point,
        changes={"date": date.isoformat(), "open": is_open, "session": session_kind},
    )
    return exception

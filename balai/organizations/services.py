"""Writes about Pemda, OPD and calendars: one transaction and an audit row each."""

import datetime as dt

from django.db import transaction
from django.utils.text import slugify

from balai.core.audit import audit_record
from balai.core.calendars import PERPRES_21_2023_HOURS
from balai.regions.choices import Level, timezone_for_code
from balai.regions.models import Region

from .models import OPD, CalendarDay, Pemda, WorkingHours


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

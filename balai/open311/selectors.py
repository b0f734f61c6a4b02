"""Reads of the Open311 endpoint: the jurisdiction, its services and its public requests."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from balai.complaints.choices import OPEN_STATUSES, EventKind
from balai.complaints.models import Attachment, Category, Complaint, ComplaintEvent
from balai.organizations.models import Pemda
from balai.regions.choices import Level
from balai.regions.models import Region

from .formats import Open311Error
from .models import Open311Client

MAX_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
# Dates a client may filter on (a wider range would overflow the window arithmetic).
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9000, 1, 1)

# Public steps written by staff. Messages and reopening reasons come from the reporter and
# may name them, so they never become `status_notes`.
NOTE_KINDS = frozenset(
    {
        EventKind.VERIFIED,
        EventKind.REJECTED,
        EventKind.FORWARDED,
        EventKind.ASSIGNED,
        EventKind.RESPONDED,
        EventKind.PAUSED,
        EventKind.RESUMED,
        EventKind.APPROVED,
        EventKind.CLOSED,
    }
)


def jurisdiction_get(jurisdiction_id: str | None) -> Pemda:
    """The Pemda whose region code is `jurisdiction_id`; optional when only one is active."""
    active = Pemda.objects.filter(is_active=True).select_related("region")
    if jurisdiction_id:
        pemda = active.filter(region_id=jurisdiction_id.strip()).first()
        if pemda is None:
            raise Open311Error(404, _("Unknown jurisdiction_id."))
        return pemda
    candidates = list(active[:2])
    if not candidates:
        raise Open311Error(404, _("This installation serves no jurisdiction."))
    if len(candidates) > 1:
        raise Open311Error(
            400, _("jurisdiction_id is required: this endpoint serves several Pemda.")
        )
    return candidates[0]


def client_authenticate(*, pemda: Pemda, raw_key: str) -> Open311Client:
    client = None
    if raw_key:
        client = Open311Client.objects.filter(
            pemda=pemda, key_hash=Open311Client.hash_key(raw_key), is_active=True
        ).first()
    if client is None:
        raise Open311Error(403, _("Invalid api_key received: cannot create the request."))
    # A bookkeeping stamp, like a personal token's: no audit row, no other side effect.
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def services_list(pemda: Pemda) -> QuerySet[Category]:
    return (
        Category.objects.filter(pemda=pemda, is_active=True)
        .select_related("default_opd")
        .order_by("name", "code")
    )


def service_get(pemda: Pemda, code: str) -> Category:
    category = services_list(pemda).filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("Unknown service_code."))
    return category


def kecamatan_list(pemda: Pemda) -> QuerySet[Region]:
    return Region.objects.filter(
        parent_id=pemda.region_id, level=Level.KECAMATAN, is_active=True
    ).order_by("name")


def public_requests(pemda: Pemda) -> QuerySet[Complaint]:
    """Complaints anyone may see: never a secret (rahasia) one. Newest first."""
    notes = (
        ComplaintEvent.objects.filter(is_public=True, kind__in=NOTE_KINDS)
        .exclude(text="")
        .order_by("-created_at", "-id")
    )
    media = Attachment.objects.filter(is_public=True).order_by("created_at", "id")
    return (
        Complaint.objects.filter(pemda=pemda, is_secret=False)
        .select_related("pemda", "category", "opd", "region")
        .prefetch_related(
            Prefetch("events", queryset=notes, to_attr="public_notes"),
            Prefetch("attachments", queryset=media, to_attr="public_media"),
        )
        .order_by("-received_at", "-id")
    )


def request_get(pemda: Pemda, service_request_id: str) -> Complaint:
    complaint = public_requests(pemda).filter(tracking_code=service_request_id.strip()).first()
    if complaint is None:
        raise Open311Error(404, _("Unknown service_request_id."))
    return complaint


def _moment(value: str, name: str, tz: dt.tzinfo, *, end: bool) -> dt.datetime:
    value = value.strip()
    try:
        day = parse_date(value) if len(value) == 10 else None
        moment = None if day else parse_datetime(value)
    except ValueError:
        moment = day = None
    if day is not None and EARLIEST <= day < LATEST:
        moment = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), tz)
    elif moment is not None and not EARLIEST <= moment.date() < LATEST:
        moment = None  # the 90-day window and UTC conversion must stay inside the calendar
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s must be a W3C date-time, e.g. 2025-01-31T00:00:00+08:00.") % {"name": name},
        )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=tz)


def requests_search(
    pemda: Pemda,
    *,
    tz: dt.tzinfo,
    service_request_id: str = "",
    service_code: str = "",
    start_date: str = "",
    end_date: str = "",
    status: str = "",
) -> list[Complaint]:
    """GET requests: by ids (which override every other filter), else a window of 90 days."""
    requests = public_requests(pemda)
    ids = [code.strip() for code in service_request_id.split(",") if code.strip()]
    if ids:
        return list(requests.filter(tracking_code__in=ids)[:MAX_RESULTS])
    codes = [code.strip() for code in service_code.split(",") if code.strip()]
    if codes:
        known = set(Category.objects.filter(pemda=pemda, code__in=codes).values_list("code"))
        unknown = sorted(set(codes) - {code for (code,) in known})
        if unknown:
            raise Open311Error(
                404, _("Unknown service_code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        requests = requests.filter(category__code__in=codes)
    start = _moment(start_date, "start_date", tz, end=False) if start_date else None
    end = _moment(end_date, "end_date", tz, end=True) if end_date else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_WINDOW
    if end is None:
        end = start + MAX_WINDOW
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_WINDOW:
        raise Open311Error(400, _("start_date and end_date may be at most 90 days apart."))
    requests = requests.filter(received_at__gte=start, received_at__lte=end)
    statuses = {s.strip().lower() for s in status.split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open or closed."))
    if statuses == {"open"}:
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        requests = requests.exclude(status__in=OPEN_STATUSES)
    return list(requests[:MAX_RESULTS])

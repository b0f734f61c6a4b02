"""Every change to a service request: one function per step.

submitted -> incomplete (a mandatory requirement is missing: no clock) -> in process (the clock
starts when the last mandatory document is there) -> ready (the applicant is told) -> collected;
rejected from any open status, with a reason. Each step runs in one transaction, checks the step
is allowed from the current status, writes a timeline event and an audit row, and sends
notifications only after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import partial
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balai.catalog.choices import DurationUnit
from balai.catalog.models import Requirement, Service, StandardVersion
from balai.catalog.selectors import standard_in_force
from balai.complaints.forms_public import normalize_phone
from balai.complaints.models import Complaint, new_tracking_code
from balai.core.audit import audit_record
from balai.core.calendars import WorkingCalendar
from balai.organizations.models import Pemda, ServicePoint
from balai.organizations.selectors import pemda_calendar

from .choices import Channel, EventKind, Status
from .models import ServiceRequest, ServiceRequestEvent

S = Status
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "complete": frozenset({S.SUBMITTED, S.INCOMPLETE}),
    "ready": frozenset({S.IN_PROCESS}),
    "collect": frozenset({S.READY}),
    "reject": frozenset({S.SUBMITTED, S.INCOMPLETE, S.IN_PROCESS}),
}


def due_at(*, standard: StandardVersion, start: dt.datetime, calendar: WorkingCalendar):
    """When a request started at `start` must be ready, by the standard's processing time."""
    amount, unit = standard.processing_time, standard.processing_unit
    if unit == DurationUnit.MINUTES:
        return calendar.add_clock_hours(start, amount / 60)
    if unit == DurationUnit.WORKING_HOURS:
        return calendar.add_working_hours(start, amount)
    if unit == DurationUnit.WORKING_DAYS:
        if amount == 0:  # "the same day": the close of today's working time, if any is left
            today = calendar.intervals_on(start.astimezone(calendar.tz).date())
            if today and today[-1][1] > start:
                return today[-1][1].astimezone(dt.UTC)
            return calendar.add_working_days(start, 1)
        return calendar.add_working_days(start, amount)
    raise ValueError(f"Unknown processing unit {unit!r}.")


def _require(request: ServiceRequest, step: str) -> None:
    if request.status not in ALLOWED_FROM[step]:
        raise ValidationError(
            _("This step is not possible while the request is %(status)s.")
            % {"status": request.get_status_display().lower()}
        )


def _lock(request: ServiceRequest) -> ServiceRequest:
    """Re-read the request under a row lock, so two staff cannot step it at once."""
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("pemda", "service", "standard", "point")
        .get(pk=request.pk)
    )


def _event(request, kind, *, actor=None, text="", public=True, data=None, at=None):
    return ServiceRequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text,
        is_public=public,
        data=data or {},
        created_at=at or timezone.now(),
    )


def _check(
    requirements: Iterable[Requirement], checklist: Mapping[int | str, bool]
) -> tuple[dict[str, bool], list[str]]:
    """The stored checklist (every requirement of the standard) and the mandatory ones missing."""
    requirements = list(requirements)
    known = {str(r.pk) for r in requirements}
    unknown = {str(key) for key in checklist} - known
    if unknown:
        raise ValidationError(
            {"checklist": _("The checklist names requirements of another standard.")}
        )
    given = {str(key): bool(value) for key, value in checklist.items()}
    stored = {str(r.pk): given.get(str(r.pk), False) for r in requirements}
    missing = [r.text for r in requirements if r.is_mandatory and not stored[str(r.pk)]]
    return stored, missing


def _unique_code() -> str:
    """A code no complaint or request has: the public lookup accepts both kinds of code."""
    while True:
        code = new_tracking_code()
        taken = (
            ServiceRequest.objects.filter(tracking_code=code).exists()
            or Complaint.objects.filter(tracking_code=code).exists()
        )
        if not taken:
            return code


def _start_clock(request: ServiceRequest, at: dt.datetime) -> None:
    request.status = S.IN_PROCESS
    request.clock_started_at = at
    request.due_at = due_at(
        standard=request.standard, start=at, calendar=pemda_calendar(request.pemda)
    )


# -- filing -----------------------------------------------------------------------------------
@transaction.atomic
def service_request_submit(
    *,
    pemda: Pemda,
    service: Service,
    point: ServicePoint | None = None,
    channel: str,
    applicant_name: str = "",
    applicant_phone: str = "",
    checklist: Mapping[int, bool],
    actor=None,
    at: dt.datetime | None = None,
    event=None,
    awaiting_documents: bool = False,
) -> ServiceRequest:
    """File a request against the standard in force on the filing date (Pemda local date).

    `event`: the outreach event (of the same Pemda) where it was filed, if any.
    `awaiting_documents`: filed without the documents (online): it stays submitted, with every
    mandatory requirement listed as missing, until the counter checks them.

    Every mandatory requirement there: in process, the clock starts now. Otherwise incomplete,
    with the list of what is missing, and no clock.
    """
    at = at or timezone.now()
    if service.pemda_id != pemda.pk:
        raise ValidationError({"service": _("This service belongs to another Pemda.")})
    if not service.is_active:
        raise ValidationError({"service": _("This service is not offered any more.")})
    if point is not None:
        if point.pemda_id != pemda.pk:
            raise ValidationError({"point": _("This service point belongs to another Pemda.")})
        offered = point.services.all()
        if offered.exists() and not offered.filter(pk=service.pk).exists():
            raise ValidationError({"point": _("This service point does not offer this service.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    if event is not None and event.pemda_id != pemda.pk:
        raise ValidationError({"event": _("This outreach event belongs to another Pemda.")})
    try:
        phone = normalize_phone(applicant_phone or "")
    except ValidationError as exc:
        raise ValidationError({"applicant_phone": exc.messages}) from exc
    filed_on = at.astimezone(ZoneInfo(pemda.timezone)).date()
    standard = standard_in_force(service=service, on=filed_on)
    if standard is None:
        raise ValidationError(
            {
                "service": _("This service has no Standar Pelayanan in force on %(date)s.")
                % {"date": filed_on.isoformat()}
            }
        )
    stored, missing = _check(standard.requirements.all(), {} if awaiting_documents else checklist)
    # Online, nothing is checked yet: submitted, with what to bring listed as missing.
    status = S.INCOMPLETE if missing and not awaiting_documents else S.SUBMITTED
    request = ServiceRequest(
        pemda=pemda,
        service=service,
        standard=standard,
        point=point,
        channel=channel,
        event=event,
        tracking_code=_unique_code(),
        applicant_name=applicant_name.strip(),
        applicant_phone=phone,
        status=status,
        checklist=stored,
        missing=missing,
        submitted_at=at,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if not missing and not awaiting_documents:
        _start_clock(request, at)  # everything there: in process, the clock starts now
    request.full_clean()
    request.save()
    _event(request, EventKind.SUBMITTED, actor=actor, at=at, data={"channel": channel})
    if request.status == S.INCOMPLETE:
        _event(request, EventKind.INCOMPLETE, actor=actor, at=at, data={"missing": missing})
    elif request.status == S.IN_PROCESS:
        _event(request, EventKind.STARTED, actor=actor, at=at, data=_due_data(request))
    audit_record(
        actor=actor,
        action="service_request.submit",
        target=request,
        changes={
            "service": service.code,
            "standard": standard.version,
            "channel": channel,
            "status": request.status,
        },
    )
    return request


@transaction.atomic
def service_request_apply_online(
    *,
    pemda: Pemda,
    service: Service,
    point: ServicePoint | None,
    applicant_name: str,
    applicant_phone: str,
    at: dt.datetime | None = None,
) -> ServiceRequest:
    """A citizen applies on the portal and brings the documents to the office later.

    Nothing is uploaded (no scans of KTP or KK kept online: the documents are checked at the
    counter). The request waits as submitted, with every mandatory requirement listed as what
    to bring; the clock starts when the counter ticks them off (`service_request_complete`).
    A name and a WhatsApp number are required: the office must be able to reach the applicant.
    """
    if not service.accepts_online:
        raise ValidationError({"service": _("This service does not take online applications.")})
    if not applicant_name.strip():
        raise ValidationError({"applicant_name": _("Fill in your name.")})
    if not (applicant_phone or "").strip():
        raise ValidationError({"applicant_phone": _("Fill in your WhatsApp number.")})
    if point is None and service.points.filter(is_active=True).exists():
        raise ValidationError({"point": _("Choose the office where you will bring the documents.")})
    return service_request_submit(
        pemda=pemda,
        service=service,
        point=point,
        channel=Channel.ONLINE,
        applicant_name=applicant_name,
        applicant_phone=applicant_phone,
        checklist={},
        at=at,
        awaiting_documents=True,
    )


def _due_data(request: ServiceRequest) -> dict:
    return {"due_at": request.due_at.isoformat() if request.due_at else None}


# -- the steps --------------------------------------------------------------------------------
@transaction.atomic
def service_request_complete(
    *, request: ServiceRequest, actor, checklist: Mapping[int, bool]
) -> ServiceRequest:
    """The applicant brings documents: the checklist is updated, and once every mandatory
    requirement is there the clock starts (now). Still missing something: stays incomplete."""
    request = _lock(request)
    _require(request, "complete")
    stored, missing = _check(request.standard.requirements.all(), checklist)
    now = timezone.now()
    request.checklist, request.missing = stored, missing
    if missing:
        request.status = S.INCOMPLETE
    else:
        _start_clock(request, now)
    request.full_clean()
    request.save()
    if missing:
        _event(request, EventKind.INCOMPLETE, actor=actor, at=now, data={"missing": missing})
    else:
        _event(request, EventKind.STARTED, actor=actor, at=now, data=_due_data(request))
    audit_record(
        actor=actor,
        action="service_request.complete",
        target=request,
        changes={"status": request.status, "missing": len(missing)},
    )
    return request


def ready_message(request: ServiceRequest) -> str:
    """The WhatsApp text telling the applicant to come (in Bahasa Indonesia)."""
    with translation.override("id"):
        where = request.point.name if request.point else request.service.opd.name
        return _(
            "Your %(service)s request %(code)s is ready. You can collect it at %(place)s "
            "during opening hours."
        ) % {"service": request.service.name, "code": request.tracking_code, "place": where}


def _notify_ready(request_id: int) -> None:
    from balai.messaging.outbound import outbox_enqueue

    request = ServiceRequest.objects.select_related("pemda", "service__opd", "point").get(
        pk=request_id
    )
    if not request.applicant_phone:
        return
    outbox_enqueue(
        pemda=request.pemda,
        channel="whatsapp",
        recipient=request.applicant_phone.lstrip("+"),
        text=ready_message(request),
        idempotency_key=f"service-request-ready-{request.pk}",
    )


@transaction.atomic
def service_request_ready(*, request: ServiceRequest, actor) -> ServiceRequest:
    """The product is ready: the applicant is told on WhatsApp when a phone is known."""
    request = _lock(request)
    _require(request, "ready")
    now = timezone.now()
    request.status = S.READY
    request.ready_at = now
    request.full_clean()
    request.save()
    on_time = request.is_on_time
    _event(request, EventKind.READY, actor=actor, at=now, data={"on_time": on_time})
    audit_record(
        actor=actor,
        action="service_request.ready",
        target=request,
        changes={"on_time": on_time},
    )
    if request.applicant_phone:
        transaction.on_commit(partial(_notify_ready, request.pk))
    return request


@transaction.atomic
def service_request_collect(*, request: ServiceRequest, actor) -> ServiceRequest:
    """The applicant collected the product."""
    request = _lock(request)
    _require(request, "collect")
    now = timezone.now()
    request.status = S.COLLECTED
    request.collected_at = now
    request.full_clean()
    request.save()
    _event(request, EventKind.COLLECTED, actor=actor, at=now)
    audit_record(actor=actor, action="service_request.collect", target=request)
    return request


@transaction.atomic
def service_request_reject(*, request: ServiceRequest, actor, reason: str) -> ServiceRequest:
    """Refuse the request (e.g. not eligible); the reason is shown to the applicant."""
    request = _lock(request)
    _require(request, "reject")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    now = timezone.now()
    request.status = S.REJECTED
    request.reject_reason = reason
    request.full_clean()
    request.save()
    _event(request, EventKind.REJECTED, actor=actor, at=now, text=reason)
    audit_record(
        actor=actor, action="service_request.reject", target=request, changes={"reason": reason}
    )
    return request
